extension CalibrationMarginsFile {
    /// The variables to load so that ``margins(for:)`` finds every margin's
    /// column: a known variable (e.g. `region`, `urban`) as itself, another
    /// categorical margin as a category (``Variable/category(_:)``), another
    /// numeric margin as a real person variable.
    public var requests: [VariableRequest] {
        margins.map { margin in
            let known = (Variable.known + Variable.optionalColumns).first { $0.name == margin.column }
            let variable = known ?? (margin.categories != nil ? Variable.category(margin.column) : Variable.named(margin.column))
            return VariableRequest(variable, neededBy: "the calibration margins in \(file)")
        }
    }

    /// This file's margins on a loaded population, one value per person (for
    /// ``SurveyAgeing/age(_:to:profile:moneyVariables:uprating:extraMargins:options:)``).
    ///
    /// A categorical margin matches a category column by label, or an integer
    /// column by number (every category listed must be a number); every value
    /// present in the data must be listed. A numeric total sums a real or
    /// integer person column. Household-level columns cannot be margins here.
    ///
    /// - Throws: ``InputError`` naming this file's line: a column the
    ///   population lacks or holds per household, a category that is not a
    ///   number for a numeric column, a value in the data without a total.
    public func margins(for population: Population) throws -> [CalibrationMargin] {
        try margins.map { margin in
            let field = "margins.\(margin.column)"
            func fail(_ kind: InputError.Kind, _ message: String) -> InputError {
                InputError(file: file, line: margin.line, field: field, kind: kind, message)
            }
            guard population.has(margin.column), margin.column != "weight" else {
                throw fail(.missingColumn, "the survey \(population.source) has no person column \(InputExcerpt.quoted(margin.column))")
            }
            guard let categories = margin.categories else {
                let values: [Double]
                if population.hasPersonReal(margin.column) {
                    values = population.reals(margin.column).array
                } else if let integers = population.personIntegersIfPresent(margin.column) {
                    values = integers.values.map(Double.init)
                } else {
                    throw fail(.wrongType, "\(margin.column) is not a numeric person column, so its total cannot be a number; give a total per category")
                }
                return CalibrationMargin(name: margin.column, values: values, total: margin.total)
            }
            var index: [String: Int] = [:]
            for (k, c) in categories.enumerated() {
                guard index.updateValue(k, forKey: c.key) == nil else {
                    throw InputError(file: file, line: c.line, field: "\(field).\(c.key)", kind: .duplicate, "the category is listed twice")
                }
            }
            let labels: [String]
            let codes: [Int32]
            if let category = population.categoryIfPresent(margin.column) {
                labels = category.labels
                codes = Array(category.codes.values)
            } else if let integers = population.personIntegersIfPresent(margin.column) {
                let distinct = Set(integers.values).sorted()
                labels = distinct.map(String.init)
                let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int32($0)) })
                codes = integers.values.map { position[$0]! }
            } else {
                throw fail(.wrongType, "\(margin.column) is not a categorical person column (it is held per household or as a real number)")
            }
            var mapping = [Int](repeating: -1, count: labels.count)
            var used = [Bool](repeating: false, count: labels.count)
            for c in codes { used[Int(c)] = true }
            for (k, label) in labels.enumerated() where used[k] {
                guard let m = index[label] else {
                    throw fail(.missingKey, "the category \(InputExcerpt.quoted(label)) is in the survey but has no total; every category present in the data must be listed")
                }
                mapping[k] = m
            }
            return CalibrationMargin(name: margin.column, codes: codes.map { mapping[Int($0)] },
                                     categories: categories.map(\.key), totals: categories.map(\.total))
        }
    }
}

extension Population {
    /// The category column `name`, if loaded as one.
    func categoryIfPresent(_ name: String) -> CategoryColumn? { storedVariables.categories[name] }
    /// The person integer column `name`, if loaded as one.
    func personIntegersIfPresent(_ name: String) -> Column<Int32>? { storedVariables.integers[name] }
}
