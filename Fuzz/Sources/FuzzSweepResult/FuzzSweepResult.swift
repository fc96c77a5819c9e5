import FuzzSupport

/// libFuzzer's entry point: one input, fed to the sweep result, manifest and shard readers
/// (see `FuzzTargets.sweepResult`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.sweepResult(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
