/// What a data file holds, variable by variable: `simrun data describe`.
///
/// For each column of a ``SurveyTable`` (a file as delivered, or a recipe's
/// result): its storage type, label and value labels, the number of missing
/// values of each kind, and a weighted summary of the values present:
/// - a numeric column without value labels: the weighted mean
///   `Σ w_i x_i / Σ w_i`, the minimum, the weighted quantiles 10%, 25%, 50%,
///   75% and 90% (laeken's definition, ``QuantileDefinition/laeken``: the
///   smallest value whose cumulative weight share exceeds p), and the maximum;
/// - a column with value labels, or of text: each category's weighted share
///   `Σ_{i in c} w_i / Σ w_i` among the rows where it is present, largest first
///   (ties by label), at most ``categoryLimit`` categories, the rest summed.
///
/// Weights are a column's values (rows with a missing or non-positive weight
/// are an error naming the row), or 1 for every row when no weight is given.
public struct DataDescription: Sendable {
    /// At most this many categories are listed; the others are summed under "other categories".
    public static let categoryLimit = 30
    /// The quantiles reported for numbers.
    public static let quantiles: [Double] = [0.10, 0.25, 0.50, 0.75, 0.90]

    /// One column's description.
    public struct Entry: Sendable {
        public enum Summary: Sendable {
            /// Numbers: weighted mean, minimum, quantiles (``DataDescription/quantiles``), maximum; `nil` when no value is present.
            case numbers(mean: Double, minimum: Double, quantiles: [Double], maximum: Double)
            /// Categories: label and weighted share, largest first; `otherShare` sums the categories beyond the limit.
            case categories([(label: String, share: Double)], otherShare: Double, distinct: Int)
            /// No value is present.
            case empty
        }
        public let name: String
        /// `whole number`, `number` or `text`.
        public let type: String
        public let label: String?
        public let valueLabels: [(value: Double, label: String)]
        /// Missing values by kind (``MissingCode/description``: `.`, `.a`, `user-missing`), kinds in code order.
        public let missing: [(kind: String, count: Int)]
        public let present: Int
        public let summary: Summary
    }

    public let file: String
    public let format: SurveyTable.Format
    public let rows: Int
    /// The weight column, or `nil` (every row weighs 1).
    public let weight: String?
    public let variables: [Entry]
    /// What a recipe did, when the table is a recipe's result.
    public let preparation: DataPreparation?

    /// Describes `table`, weighting rows by the column `weight` (if given).
    ///
    /// - Throws: ``InputError`` if the weight column is absent, not numeric,
    ///   or missing or not > 0 on a row (naming the row through `origin`).
    /// - Complexity: O(rows × log rows) per variable (the quantiles sort), variables described in parallel on `plan`.
    public init(table: SurveyTable, weight: String?, origin: SurveyTable.RowOrigin? = nil, preparation: DataPreparation? = nil,
                plan: ParallelPlan = ParallelPlan()) throws {
        let origin = origin ?? table.ownRows
        file = table.file
        format = table.format
        rows = table.rowCount
        self.weight = weight
        self.preparation = preparation
        var w = [Double](repeating: 1, count: table.rowCount)
        if let weight {
            guard let column = table.column(named: weight) else {
                throw InputError(file: table.file, field: weight, kind: .missingColumn,
                                 "no column '\(InputExcerpt.text(weight))' to weight by (the file has: \(table.columns.prefix(12).map(\.name).joined(separator: ", "))\(table.columns.count > 12 ? ", ..." : ""))")
            }
            guard case .numbers(let values, _) = column.values else {
                throw InputError(file: table.file, field: weight, kind: .wrongType, "the weight column '\(weight)' holds text; expected numbers > 0")
            }
            for (row, x) in values.enumerated() where column.missingCode(row).isMissing || !(x > 0) || !x.isFinite {
                let (f, line) = origin.locate(weight, row)
                throw InputError(file: f, line: line, field: origin.sourceColumn(weight), kind: .badValue,
                                 column.missingCode(row).isMissing ? "the weight is missing (\(column.missingCode(row))); every row needs a weight > 0"
                                    : "the weight \(SurveyTable.text(x)) is not > 0")
            }
            w = values
        }
        let columns = table.columns, weights = w
        variables = plan.map(pieces: columns.count) { Self.describe(columns[$0], weights: weights) }
    }

    static func describe(_ c: SurveyTableColumn, weights: [Double]) -> Entry {
        let type: String
        switch c.values {
        case .numbers(_, let whole): type = whole ? "whole number" : "number"
        case .text: type = "text"
        }
        let missing = c.missingCounts.sorted { $0.key < $1.key }.map { ($0.key.description, $0.value) }
        let present = c.count - missing.reduce(0) { $0 + $1.1 }
        let labels = c.valueLabels.sorted { $0.key < $1.key }.map { (value: $0.key, label: $0.value) }
        let summary: Entry.Summary
        switch c.values {
        case .numbers(let values, _) where c.valueLabels.isEmpty:
            var pairs: [(Double, Double)] = []
            pairs.reserveCapacity(present)
            for (row, x) in values.enumerated() where !c.missingCode(row).isMissing { pairs.append((x, weights[row])) }
            if pairs.isEmpty { summary = .empty; break }
            pairs.sort { $0.0 < $1.0 }
            let y = pairs.map(\.0), w = pairs.map(\.1)
            var cumulative = [Double](repeating: 0, count: w.count)
            var total = 0.0, weighted = 0.0
            for i in w.indices { total += w[i]; cumulative[i] = total; weighted += w[i] * y[i] }
            let q = y.withUnsafeBufferPointer { yb in
                w.withUnsafeBufferPointer { wb in
                    cumulative.withUnsafeBufferPointer { cb in
                        quantiles.map { QuantileDefinition.laeken.quantile($0, y: yb, weight: wb, cumulative: cb, count: y.count) }
                    }
                }
            }
            summary = .numbers(mean: weighted / total, minimum: y[0], quantiles: q, maximum: y[y.count - 1])
        default:
            var shares: [String: Double] = [:]
            var total = 0.0
            for row in 0..<c.count where !c.missingCode(row).isMissing {
                let label: String
                switch c.values {
                case .numbers(let v, _): label = c.valueLabels[v[row]] ?? SurveyTable.text(v[row])
                case .text(let t): label = t[row]
                }
                shares[label, default: 0] += weights[row]
                total += weights[row]
            }
            if total == 0 { summary = .empty; break }
            let sorted = shares.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            let shown = sorted.prefix(categoryLimit).map { (label: $0.key, share: $0.value / total) }
            let other = sorted.dropFirst(categoryLimit).reduce(0) { $0 + $1.value } / total
            summary = .categories(Array(shown), otherShare: other, distinct: sorted.count)
        }
        return Entry(name: c.name, type: type, label: c.label, valueLabels: labels, missing: missing, present: present, summary: summary)
    }
}
