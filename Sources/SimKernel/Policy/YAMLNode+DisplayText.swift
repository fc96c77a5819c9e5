extension YAMLNode {
    /// The scalar as text that simrun prints for people (a title, a name, a reference, a currency):
    /// one line without control or bidirectional formatting characters, so a scenario file cannot
    /// send escape sequences to a terminal or reorder a table's text.
    ///
    /// - Throws: ``InputError`` (kind ``InputError/Kind/badValue``) naming the key, with an escaped excerpt.
    public func displayText() throws -> String {
        let s = try text()
        if InputExcerpt.hasControlCharacters(s) {
            throw error("\(InputExcerpt.quoted(s)) holds a line break or a control character; write it on one line of plain text")
        }
        return s
    }
}
