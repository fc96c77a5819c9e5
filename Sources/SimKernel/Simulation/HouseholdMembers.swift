import Foundation

/// A hand-written household: its members and their data variables, as
/// legislation cases (docs/cases.md) and `simrun household` (docs/explain.md)
/// write it.
///
/// ```yaml
/// - {age: 40, sex: 1, labour_status: 1, earnings: 1000}
/// - {age: 3, sex: 2}
/// ```
///
/// A variable a member does not give has the data's "none" for that
/// member (``noneValue(of:)``): 0 (no earnings, code 0), or -1 for
/// `months_since_birth` (no recent birth; 0 would be a birth last month).
/// `hh_id`, `person_id` and `weight` are set by simrun (one household of
/// weight 1).
public struct HouseholdMembers: Sendable {
    /// One `variable: value` of a member, with the line it is written on.
    public struct Value: Sendable, Equatable {
        public let name: String
        public let value: Double
        public let line: Int
    }

    /// The file the household is written in.
    public let file: String
    /// The line of the member list.
    public let line: Int
    /// Each member's variables, in file order.
    public let members: [[Value]]
    /// Each member's line.
    let memberLines: [Int]
    /// The member list's key path in its file (`household`, or empty for a bare list), for messages.
    let path: String

    /// The most members a household file may list: 1,000 (real households
    /// have a few dozen at most); the cap bounds the work and the width of a
    /// trace's table, whatever the file holds.
    public static let maxMembers = 1000

    /// The household identifier of the one-household survey ``population(variables:describedAs:)`` builds.
    public static let householdID: Int64 = 1

    /// The value a member who does not give variable `name` has: what the data
    /// writes for "none" (no earnings, code 0; -1 for `months_since_birth`,
    /// whose 0 is a birth in the last month).
    public static func noneValue(of name: String) -> Double {
        name == Variable.monthsSinceBirth.name ? -1 : 0
    }

    /// Reads a member list (a YAML sequence of mappings).
    ///
    /// - Throws: ``InputError`` naming the file, line and key: a list that is
    ///   not a list of mappings, is empty or has more than ``maxMembers`` members, an unknown variable (with the
    ///   closest known name), `hh_id`, `person_id` or `weight` given, a value
    ///   that is not a number.
    public static func read(_ node: YAMLNode) throws -> HouseholdMembers {
        let memberNodes = try node.items()
        guard !memberNodes.isEmpty else { throw node.error("the household has no member") }
        guard memberNodes.count <= maxMembers else {
            throw node.error(kind: .outOfRange, "the household lists \(memberNodes.count) members; at most \(maxMembers) are allowed")
        }
        let members = try memberNodes.map { m in
            try m.entries().map { e -> Value in
                guard Variable.declared(e.key) != nil else {
                    var message = "unknown variable \(InputExcerpt.quoted(e.key))"
                    let names = (Variable.known + Variable.optionalColumns).map(\.name)
                    if let near = closestMatch(to: e.key, in: names) { message += "; did you mean '\(near)'?" }
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .unknownKey, message)
                }
                if ["hh_id", "person_id", "weight"].contains(e.key) {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .unknownKey,
                                     "\(e.key) is set by simrun (household 1, weight 1); leave it out")
                }
                return Value(name: e.key, value: try e.value.number(), line: e.keyLine)
            }
        }
        return HouseholdMembers(file: node.file, line: node.line, members: members, memberLines: memberNodes.map(\.line),
                                path: node.path)
    }

    /// Reads a household file: a member list, or a mapping with the member
    /// list under `household:` and an optional `name:`.
    ///
    /// ```yaml
    /// name: a couple with a child of 3
    /// household:
    ///   - {age: 40, sex: 1, labour_status: 1, earnings: 1000}
    ///   - {age: 3, sex: 2}
    /// ```
    ///
    /// - Returns: The household and its name, if given.
    /// - Throws: ``InputError`` as ``read(_:)``, and for an unknown key or a missing `household:`.
    public static func read(file: String) throws -> (household: HouseholdMembers, name: String?) {
        let root = try YAMLNode.load(file: file)
        guard root.isMapping else { return (try read(root), nil) }
        try ScenarioDefinition.checkKeys(try root.entries(), allowed: ["name", "household"])
        guard let list = root["household"] else {
            throw root.error(kind: .missingKey, "a household file needs 'household': a list of members, each a mapping of data variables")
        }
        return (try read(list), try root["name"]?.displayText())
    }

    /// The household as a one-household survey (identifier ``householdID``,
    /// weight 1), through the same loader and checks as real data: the
    /// variables `variables` asks for and every variable a member gives.
    ///
    /// - Parameters:
    ///   - variables: The variables the rules read.
    ///   - what: How messages name the household ("the household of case 'x'").
    /// - Throws: ``InputError`` if a value is not valid data (an age of 400),
    ///   located at the member's line for that variable in ``file``, or a
    ///   variable the rules read that no member can give.
    public func population(variables: [VariableRequest], describedAs what: String) throws -> Population {
        var names: [String] = []
        for v in variables where !names.contains(v.variable.name) && !["hh_id", "person_id", "weight"].contains(v.variable.name) {
            names.append(v.variable.name)
        }
        // Every variable a member gives is checked as survey data would be, even if the rules do not read it.
        var requests = variables
        for member in members {
            for value in member where !names.contains(value.name) {
                names.append(value.name)
                if let v = Variable.declared(value.name) { requests.append(VariableRequest(v, neededBy: what)) }
            }
        }
        var csv = (["hh_id", "person_id", "weight"] + names).joined(separator: ",") + "\n"
        for (k, member) in members.enumerated() {
            let values = names.map { n in ParameterValue.number(member.first { $0.name == n }?.value ?? Self.noneValue(of: n)).description }
            csv += (["\(Self.householdID)", String(k + 1), "1"] + values).joined(separator: ",") + "\n"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-household-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: folder.path, kind: .cannotCreate, "cannot create a temporary folder for the household: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("household.csv")
        do {
            try Data(csv.utf8).write(to: data)
        } catch {
            throw InputError(file: data.path, kind: .io, "cannot write the household as a temporary survey: \(error.localizedDescription)")
        }
        do {
            return try SurveyLoader(plan: ParallelPlan(threads: 1)).load(file: data.path, variables: requests)
        } catch var error as InputError {
            // Name the household's file and the member's line and key, not the temporary
            // survey: its header is line 1 and member k (0-based) is on line k + 2.
            error.message = "\(what) is not valid data: \(error.message)"
            error.file = file
            if let row = error.line, members.indices.contains(row - 2) {
                let given = members[row - 2].first { $0.name == error.field }
                error.line = given?.line ?? memberLines[row - 2]
                if given == nil, let field = error.field, Variable.declared(field) != nil {
                    error.message += " (the member does not give \(field), so it is \(ParameterValue.number(Self.noneValue(of: field))): give it)"
                }
                error.field = "\(path)[\(row - 2)]" + (error.field.map { ".\($0)" } ?? "")
            } else {
                error.line = line
            }
            throw error
        }
    }
}
