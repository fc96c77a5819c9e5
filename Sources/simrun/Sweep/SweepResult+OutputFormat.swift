import SimAnalysis

extension SweepResult {
    /// The result as `format` prints it (`csv` or `json`; ``SweepResult/csv()`` for any other).
    func render(_ format: OutputFormat) -> String {
        format == .json ? json() : csv()
    }
}
