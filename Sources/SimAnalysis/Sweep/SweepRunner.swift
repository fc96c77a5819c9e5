import Foundation
import SimKernel

/// The options of a sweep or a solve, evaluated at parameter values on one
/// ``AnalysisSession``: the survey is loaded and each baseline simulated once;
/// a variant re-runs its reform only (`BaselineCache`). The figures are
/// exactly `scenario compare`'s (``ComparisonTable``), one option at a time.
package final class VariantEvaluator {
    package let session: AnalysisSession
    /// One document per option, as read.
    package let documents: [ScenarioDocument]
    /// `--year` (nil: each scenario's year).
    package let year: Int?

    package init(session: AnalysisSession, documents: [ScenarioDocument], year: Int?) {
        self.session = session
        self.documents = documents
        self.year = year
    }

    /// Option `option` with each `(path, value)` in force from 1 January of the simulated year.
    /// - Throws: `InputError` naming the parameter (unknown path, value outside its range).
    package func document(option: Int, setting values: [(path: String, value: Double)]) throws -> ScenarioDocument {
        try Self.document(documents[option], setting: values, year: year)
    }

    package static func document(_ base: ScenarioDocument, setting values: [(path: String, value: Double)], year: Int?) throws -> ScenarioDocument {
        var document = base
        for (path, value) in values {
            document = try document.setting(path, to: value, year: year)
        }
        return document
    }

    /// The comparison figures of `document` (one option) in replication `replication` (0-based), on the
    /// session (``AnalysisSession/compare(_:labels:years:method:replication:)``, which reloads the survey
    /// first if the option needs a variable not loaded yet).
    package func table(_ document: ScenarioDocument, label: String, replication: Int = 0) throws -> ComparisonTable {
        try session.compare([try document.definition(year: year)], labels: [label], replication: replication)
    }

    /// What a variant is computed from, as it stands now (``AnalysisSession/parts(threads:)``);
    /// `threads` overrides the session's.
    package func context(threads: Int?) -> AnalysisSession.Parts {
        session.parts(threads: threads)
    }
}

/// The documents of a sweep's variants, made with as few readings of the scenario as possible:
/// the document with every value but the last is remembered (consecutive rows share it), and
/// each value is set in force from the option's simulated year given explicitly (which the
/// document would otherwise read the scenario again to find). Not shared between threads:
/// each worker has its own.
package struct VariantDocuments {
    private let bases: [ScenarioDocument]
    /// Per option: `--year`, else the scenario's year (nil: the latest dated values).
    private let years: [Int?]
    private var memo: (option: Int, values: [Double], document: ScenarioDocument)?

    package init(documents: [ScenarioDocument], year: Int?) throws {
        bases = documents
        years = try documents.map { try year ?? $0.definition().year }
    }

    /// Option `option` with `values[i]` at `paths[i]`.
    package mutating func document(option: Int, paths: [String], values: [Double]) throws -> ScenarioDocument {
        let prefix = Array(values.dropLast())
        let base: ScenarioDocument
        if let memo, memo.option == option, memo.values == prefix {
            base = memo.document
        } else {
            base = try VariantEvaluator.document(bases[option], setting: Array(zip(paths, prefix)), year: years[option])
            memo = (option, prefix, base)
        }
        guard let last = paths.last, let value = values.last else { return base }
        return try base.setting(last, to: value, year: years[option])
    }
}

/// A sweep's rows computed on one machine (all of them, or one shard's).
public enum SweepRunner {
    /// Checks every varied path and value against every option before anything runs.
    ///
    /// - Throws: `InputError` at the sweep file's line: a path no option has, a value outside the
    ///   parameter's valid range, a fraction for a whole-number parameter.
    public static func check(_ spec: SweepSpec, documents: [ScenarioDocument], year: Int?) throws {
        for (o, document) in documents.enumerated() {
            let parameters = try document.parameters(year: year)
            for d in spec.dimensions {
                guard let p = parameters.first(where: { $0.path == d.path || "\($0.component).\($0.name)" == d.path }) else {
                    var message = "the option \(InputExcerpt.quoted(spec.optionLabels[o])) has no numeric parameter \(InputExcerpt.quoted(d.path))"
                    if let near = closestMatch(to: d.path, in: parameters.map(\.path)) { message += "; did you mean '\(near)'?" }
                    message += parameters.isEmpty ? "" : " (its parameters: \(parameters.map(\.path).joined(separator: ", ")))"
                    throw InputError(file: spec.file, line: d.line, field: "vary.\(d.path)", kind: .unknownKey, message)
                }
                for (value, line) in zip(d.values, d.valueLines) {
                    let low = p.minimum.map { value < $0 } ?? false, high = p.maximum.map { value > $0 } ?? false
                    if low || high {
                        let range = "\(p.minimum.map(JSONWriter.number) ?? "−∞") to \(p.maximum.map(JSONWriter.number) ?? "∞")"
                        throw InputError(file: spec.file, line: line, field: "vary.\(d.path)", kind: .outOfRange,
                                         "\(JSONWriter.number(value)) is outside the valid range of \(p.path) (\(range)\(p.unit.isEmpty ? "" : " \(p.unit)"))")
                    }
                    if p.wholeNumber && value != value.rounded() {
                        throw InputError(file: spec.file, line: line, field: "vary.\(d.path)", kind: .wrongType,
                                         "\(p.path) is a whole number; \(JSONWriter.number(value)) is not")
                    }
                }
            }
        }
    }

    /// The rows `rows` of `spec`, in order.
    ///
    /// Each row's option is set to its values and compared with its baseline; the baseline is
    /// simulated once per option and replication and reused. With more than one thread
    /// (`ParallelPlan`), the first row of each option and replication runs alone (simulating
    /// its baseline with every thread), then the others run side by side, one thread each, each
    /// written to its own slot: the numbers do not depend on the thread count or on which rows
    /// run together (the kernel's chunks are fixed; tested).
    /// - Parameters:
    ///   - spec: The sweep.
    ///   - rows: The rows to compute (0-based; all, or a shard's block).
    ///   - evaluator: The session and option documents the variants are set into.
    ///   - progress: Called after each row (from any thread, one call at a time).
    package static func rows(_ spec: SweepSpec, _ rows: Range<Int>, evaluator: VariantEvaluator,
                     progress: @escaping @Sendable () -> Void = {}) throws -> (figures: [SweepResult.Figure], rows: [SweepResult.Row]) {
        let threads = evaluator.session.simulator.plan.threads
        let paths = spec.dimensions.map(\.path)
        var serialDocuments = try VariantDocuments(documents: evaluator.documents, year: evaluator.year)
        var slots = [SweepResult.Row?](repeating: nil, count: rows.count)
        var tables = [[SweepResult.Figure]?](repeating: nil, count: rows.count)
        func serial(_ index: Int) throws {
            let variant = spec.variant(at: index)
            let document = try serialDocuments.document(option: variant.option, paths: paths, values: variant.values)
            let table = try evaluator.table(document, label: spec.optionLabels[variant.option], replication: variant.replication - 1)
            (slots[index - rows.lowerBound], tables[index - rows.lowerBound]) = row(table, variant, spec)
            progress()
        }
        if threads <= 1 || rows.count <= 1 {
            for index in rows { try serial(index) }
        } else {
            // Warm-up: the first row of each option and replication, alone.
            var seen: Set<[Int]> = []
            var others: [Int] = []
            for index in rows {
                let v = spec.variant(at: index)
                if seen.insert([v.option, v.replication]).inserted { try serial(index) } else { others.append(index) }
            }
            let context = evaluator.context(threads: 1)
            let documents = serialDocuments, year = evaluator.year
            let rest = others
            let outcome = ParallelRows(count: rest.count)
            DispatchQueue.concurrentPerform(iterations: min(threads, rest.count)) { _ in
                var documents = documents
                while let k = outcome.next() {
                    let index = rest[k]
                    let variant = spec.variant(at: index)
                    do {
                        let document = try documents.document(option: variant.option, paths: paths, values: variant.values)
                        let scenario = try document.definition(year: year)
                        guard context.hasVariables(for: [scenario]) else { continue }  // left to the serial pass below
                        let table = try context.compare([scenario], labels: [spec.optionLabels[variant.option]], replication: variant.replication - 1)
                        outcome.store(k, row(table, variant, spec))
                        progress()
                    } catch {
                        outcome.fail(k, error)
                    }
                }
            }
            if let error = outcome.firstError { throw error }
            for (k, result) in outcome.results.enumerated() {
                if let result {
                    (slots[rest[k] - rows.lowerBound], tables[rest[k] - rows.lowerBound]) = result
                } else {
                    try serial(rest[k])  // deferred: needs a variable the survey was loaded without
                }
            }
        }
        let figures = tables.first.flatMap { $0 } ?? []
        precondition(tables.allSatisfy { $0 == figures }, "every option of a sweep has the same figures (no projection years)")
        return (figures, slots.map { $0! })
    }

    /// A row of the sweep from the comparison of its variant.
    private static func row(_ table: ComparisonTable, _ variant: SweepVariant, _ spec: SweepSpec) -> (SweepResult.Row, [SweepResult.Figure]) {
        let figures = table.rows.map { SweepResult.Figure(key: $0.key, unit: $0.unit.dataUnit) }
        let row = SweepResult.Row(
            index: variant.index, option: spec.optionLabels[variant.option], replication: variant.replication, values: variant.values,
            figures: table.rows.map { $0.disclosure[0] == .suppressed || !$0.values[0].isFinite ? nil : $0.values[0] },
            flagged: table.rows.filter { $0.disclosure[0] != .shown }.map(\.key))
        return (row, figures)
    }
}

/// The shared state of rows computed side by side: the next row to take, each row's result,
/// the error of the lowest failing row (so the error reported does not depend on timing).
///
/// Safety of `@unchecked Sendable`: every stored property is read and written only while holding `lock`.
package final class ParallelRows: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    private let count: Int
    package private(set) var results: [(SweepResult.Row, [SweepResult.Figure])?]
    private var failure: (index: Int, error: any Error)?

    package init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    /// The next row to compute, or `nil` when all are taken (or one failed).
    package func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard taken < count, failure == nil else { return nil }
        taken += 1
        return taken - 1
    }

    package func store(_ k: Int, _ result: (SweepResult.Row, [SweepResult.Figure])) {
        lock.lock(); defer { lock.unlock() }
        results[k] = result
    }

    package func fail(_ k: Int, _ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil || k < failure!.index { failure = (k, error) }
    }

    package var firstError: (any Error)? {
        lock.lock(); defer { lock.unlock() }
        return failure?.error
    }
}
