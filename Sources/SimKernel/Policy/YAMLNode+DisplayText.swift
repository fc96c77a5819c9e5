extension YAMLNode {
    /// The scalar as text that simrun prints for people (a title, a name, a reference, a currency):
    /// one line without control or bidirectional formatting characters, so a scenario file cannot
    /// send escape sequences to a terminal or reorder a table's text.
    ///
    /// With `allowingLineBreaks` (a reference or a description, which YAML block scalars spread over
    /// lines) line breaks are kept, without the trailing one a block scalar ends with.
    ///
    /// - Throws: ``InputError`` (kind ``InputError/Kind/badValue``) naming the key, with an escaped excerpt.
    public func displayText(allowingLineBreaks: Bool = false) throws -> String {
        var s = try text()
        if InputExcerpt.hasControlCharacters(s, allowingLineBreaks: allowingLineBreaks) {
            throw error(allowingLineBreaks
                ? "\(InputExcerpt.quoted(s)) holds a control character; write plain text"
                : "\(InputExcerpt.quoted(s)) holds a line break or a control character; write it on one line of plain text")
        }
        while allowingLineBreaks && s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
