/// The exit statuses of every simrun command (`sysexits.h`), said once and
/// shown at the end of every command's `--help`.
///
/// The status comes from the error's kind (``InputError/kind`` in SimKernel,
/// through ``ErrorFunnel``), never from the message text.
enum ExitStatus {
    /// The paragraph every `--help` ends with.
    static let help = """
        Exit status: 0 success; 64 bad command line (unknown option, bad value, empty --out); \
        65 bad input data, scenario, system or country profile (the message names the file, line and \
        column or key); 66 a named input file that does not exist or cannot be read; 73 an output that \
        cannot be created (missing or unwritable folder; --out naming a link, device, or a folder that \
        is not a report); 74 an I/O error while reading or writing (disk full); 130 or 143 interrupted \
        (Ctrl-C, SIGTERM), leaving no partial output; 1 any other failure.
        """

    /// `help`, after a blank line, for appending to a command's discussion.
    static let paragraph = "\n\n" + help
}
