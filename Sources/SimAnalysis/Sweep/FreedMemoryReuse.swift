import CGSL

/// Keeps freed memory in the process for the next variant instead of returning it to the kernel.
///
/// Every variant of a sweep (and every evaluation of `solve`) allocates and frees the same large
/// arrays (a reform's outcome columns, the assessment's per-household arrays). With glibc's
/// defaults those over its dynamic mmap threshold are unmapped on free and the heap top is
/// trimmed, so the next variant faults every page in again: about a quarter of a sweep's time on
/// 100,000 households (docs/performance.md, "Sweeps"). Raising the mmap and trim thresholds to
/// 1 GiB makes freed blocks reusable; the memory held is at most one variant's working set per
/// worker thread, which the sweep needs again at once. Process-wide, so only the commands that
/// repeat the same computation call it. A no-op where glibc is not the C library.
package enum FreedMemoryReuse {
    package static func enable() {
        // Through the C shim (Sources/CGSL/shim.h), which includes glibc's <malloc.h>.
        cgsl_keep_freed_memory(1 << 30)
    }
}
