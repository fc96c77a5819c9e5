import Foundation

/// A rule expression from a scenario file, parsed, checked against the names
/// it may use and compiled once into an ``ExpressionProgram``.
///
/// Everything is checked here, at load time: syntax, names, types, units,
/// levels and the division rule; a defect is an ``InputError`` with the file,
/// line and the column of the offending token, and nothing is computed.
///
/// ```swift
/// let grant = try RuleExpression(
///     "urban == 0 and count(age < 5) >= 1 and sum(consumption) / count() < line",
///     at: RuleLocation(file: "rural.yaml", line: 9, column: 18),
///     environment: env, level: .household, expecting: .boolean)
/// let eligible = grant.program.evaluate(householdOffsets: [0, 3, 4], columns: columns)
/// ```
public struct RuleExpression: Sendable {
    /// The expression's text as written.
    public let text: String
    /// Where the text starts.
    public let location: RuleLocation
    /// The compiled program; its ``ExpressionProgram/type`` is the result type.
    public let program: ExpressionProgram

    /// Parses, checks and compiles `text`.
    ///
    /// - Parameters:
    ///   - text: The expression (one line).
    ///   - location: The file, line and column where `text` starts.
    ///   - environment: The parameters, variables and components it may name.
    ///   - level: ``RuleType/Level/person`` for one value per person,
    ///     ``RuleType/Level/household`` for one per household (person values
    ///     then need an aggregate).
    ///   - expecting: The kind the result must have: `.boolean` for a
    ///     condition, `.number(unit)` for an amount (a bare number takes that
    ///     unit), `nil` for any.
    /// - Throws: ``InputError``: ``InputError/Kind/badValue`` for a syntax
    ///   error, ``InputError/Kind/unknownKey`` for an unknown name,
    ///   ``InputError/Kind/wrongType`` for a type, unit, level or division
    ///   error, ``InputError/Kind/unsupported`` past the length or depth limit.
    public init(_ text: String, at location: RuleLocation, environment: RuleEnvironment,
                level: RuleType.Level, expecting: RuleType.Kind? = nil) throws {
        precondition(level != .constant, "a rule computes one value per person or per household")
        let compiled = try Self.onLargeStack {
            try Self.compile(text, at: location, environment: environment, level: level, expecting: expecting)
        }
        self.text = text
        self.location = location
        self.program = compiled
    }

    /// The stack the parser, checker and compiler run on: they recurse once
    /// per nesting level (several frames each, kilobytes in a debug build),
    /// and a caller may be a worker thread with 512 KiB of stack. 16 MiB
    /// holds ``ExpressionParser/maximumDepth`` levels with a wide margin.
    static let stackSize = 16 << 20

    /// Runs `work` on a new thread with ``stackSize`` bytes of stack and waits for it.
    private static func onLargeStack(_ work: @escaping @Sendable () throws -> ExpressionProgram) throws -> ExpressionProgram {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try work() }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    /// The worker thread's result. It is written by the worker before it
    /// signals and read after the wait, so the semaphore orders the accesses
    /// (hence `@unchecked Sendable`).
    private final class ResultBox: @unchecked Sendable {
        var result: Result<ExpressionProgram, any Error>?
    }

    private static func compile(_ text: String, at location: RuleLocation, environment: RuleEnvironment,
                                level: RuleType.Level, expecting: RuleType.Kind?) throws -> ExpressionProgram {
        let syntax = try ExpressionParser.parse(text, at: location)
        var checker = ExpressionChecker(environment: environment, location: location)
        let root = try checker.check(syntax, context: level)
        var type = RuleType(root.type.kind, level)
        if let expecting {
            switch (expecting, root.type.kind) {
            case (.boolean, .boolean), (.category, .category): break
            case (.number(let want), .number(let got)) where got == nil || got == want || want == nil:
                type.kind = .number(want ?? got)
            default:
                let wanted = RuleType(expecting, level).kindPhrase
                throw location.advanced(by: root.offset).error(.wrongType, "the rule must give \(wanted), but this expression gives \(root.type.kindPhrase)")
            }
        }
        var compiler = ExpressionCompiler()
        let result = compiler.emit(root, at: level)  // a constant or household result is broadcast to the level asked for
        let (instructions, levels, register) = ExpressionCompiler.allocateRegisters(compiler.instructions, levels: compiler.levels, result: result)
        return ExpressionProgram(inputs: checker.inputs, type: type, instructions: instructions, registerLevels: levels, result: register)
    }

    /// The result's type (its level is the level asked for).
    public var type: RuleType { program.type }
}
