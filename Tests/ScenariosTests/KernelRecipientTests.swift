import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The kernel's recipients, benefit recipients and coverage bits against
/// their definition, computed here household by household: a household's
/// total is the sum of its members' amounts; if it is positive, the members
/// marked as receiving (benefit recipients, coverage bits) are those with a
/// positive amount (all members, for a household benefit), else nobody. The kernel marks members from their own
/// amounts when no amount of the sub-batch is negative and goes household by
/// household otherwise; both paths are exercised (clawbacks below).
@Suite("Kernel recipients follow their definition")
struct KernelRecipientTests {
    /// A benefit paying `child` to members under 18 and `elder` (negative: a
    /// clawback) to members aged 65 and over; per person or per household.
    struct SignedTransfer: PolicyModule {
        static let name = "signed_transfer_test"
        static let summary = "test module"
        static let parameters: [ParameterSpec] = []
        let kind = ComponentKind.benefit
        var child = 40.0
        var elder = -25.0
        var unit = BeneficiaryUnit.person
        init(parameters: ResolvedParameters) throws {}
        init(child: Double, elder: Double, unit: BeneficiaryUnit) {
            self.child = child
            self.elder = elder
            self.unit = unit
        }
        var variables: [VariableRequest] { [VariableRequest(.age, neededBy: "test")] }
        var beneficiaryUnit: BeneficiaryUnit { unit }
        func bind(to population: Population, context: RunContext) -> any HouseholdRule {
            Rule(age: population.integers("age"), child: child, elder: elder)
        }
        /// The amount of a member of age `age`.
        func amount(age: Int32) -> Double { age < 18 ? child : age >= 65 ? elder : 0 }

        struct Rule: HouseholdRule {
            let age: Column<Int32>
            let child: Double, elder: Double
            func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
                for k in 0..<household.size {
                    let a = age[household.firstPerson + k]
                    amounts[k] = a < 18 ? child : a >= 65 ? elder : 0
                }
            }
        }
    }

    /// 2,500 households of 1-8 members, ages 0-99 (so clawbacks outweigh the
    /// grant in some households), plus hand-made ones: a child and an elder
    /// (40 − 25 > 0), a child and two elders (40 − 50 < 0), elders only.
    static let population: Population = {
        var state: UInt64 = 7
        func next(_ n: UInt64) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % n)
        }
        var persons: [TestPerson] = []
        var id = 1
        func add(_ h: Int, _ age: Int) {
            persons.append(TestPerson(household: h, id: id, weight: 1 + Double(h % 13), age: age, earnings: Double(100 * (h % 7))))
            id += 1
        }
        add(1, 5); add(1, 70)
        add(2, 5); add(2, 70); add(2, 80)
        add(3, 70); add(3, 90)
        for h in 4...2_500 {
            for _ in 0..<(1 + next(8)) { add(h, next(100)) }
        }
        return try! TestHouseholds.population(persons)
    }()

    /// Expected recipients per household (component `c`), benefit recipients
    /// per household and coverage bits per person, by the definition.
    static func expected(_ modules: [SignedTransfer], population: Population)
        -> (recipients: [[Int32]], benefitRecipients: [Int32], mask: [UInt32]) {
        let age = population.integers("age")
        var recipients = modules.map { _ in [Int32](repeating: 0, count: population.householdCount) }
        var benefit = [Int32](repeating: 0, count: population.householdCount)
        var mask = [UInt32](repeating: 0, count: population.personCount)
        for h in 0..<population.householdCount {
            let members = population.persons(of: h)
            for (c, module) in modules.enumerated() {
                let amounts = members.map { module.amount(age: age[$0]) }
                let total = amounts.reduce(0, +)
                // A component's recipients (SystemIndicators.ComponentTotals.persons): the members
                // with a positive amount, or every member of a household paid a positive total
                // of a household benefit.
                recipients[c][h] = Int32(amounts.filter { $0 > 0 }.count)
                guard total > 0 else { continue }
                if module.unit == .household { recipients[c][h] = Int32(members.count) }
                for (k, p) in members.enumerated() where module.unit == .household || amounts[k] > 0 {
                    mask[p] |= 1 << UInt32(c)
                }
            }
            benefit[h] = Int32(members.filter { mask[$0] != 0 }.count)
        }
        return (recipients, benefit, mask)
    }

    @Test("person and household benefits with clawbacks: every chunk size and thread count")
    func recipients() {
        let population = Self.population
        let modules = [
            SignedTransfer(child: 40, elder: -25, unit: .person),
            SignedTransfer(child: 10, elder: 0, unit: .person),     // no negative amount: marked member by member
            SignedTransfer(child: 40, elder: -25, unit: .household),
            SignedTransfer(child: 0, elder: 0, unit: .person),      // nobody
            SignedTransfer(child: 15, elder: 5, unit: .household),
        ]
        let system = TestHouseholds.system("signed", modules.enumerated().map { ("c\($0.offset)", $0.element) })
        let want = Self.expected(modules, population: population)
        // Hand-made households: (5, 70) all marked by the household benefits; (5, 70, 80) only by
        // the last one (the others' totals are negative); (70, 90) by the last one.
        #expect(want.benefitRecipients[0] == 2 && want.benefitRecipients[1] == 3 && want.benefitRecipients[2] == 2)
        #expect(want.recipients[0][1] == 1 && want.recipients[2][1] == 1 && want.recipients[2][0] == 2)
        for (threads, chunk) in [(1, 4096), (2, 4096), (2, 1), (2, 3), (1, 1000), (2, 8192)] {
            var simulator = Simulator(plan: ParallelPlan(threads: threads), chunkSize: chunk)
            simulator.recordCoverage = true
            let outcome = simulator.run([system], on: population)[0]
            for c in modules.indices {
                #expect(Array(outcome.components[c].recipients.values) == want.recipients[c], "component \(c), chunk \(chunk)")
            }
            #expect(Array(outcome.benefitRecipients.values) == want.benefitRecipients, "chunk \(chunk)")
            #expect(Array(outcome.componentMask!.values) == want.mask, "chunk \(chunk)")
        }
    }

    @Test("a reform sharing the first components marks from the baseline's state")
    func sharedPrefix() {
        let population = Self.population
        let first = SignedTransfer(child: 40, elder: -25, unit: .person)
        let second = SignedTransfer(child: 15, elder: 5, unit: .household)
        let baseline = TestHouseholds.system("baseline", [("a", first)])
        let reform = TestHouseholds.system("reform", [("a", first), ("b", second)])
        let want = Self.expected([first, second], population: population)
        var simulator = Simulator(plan: ParallelPlan(threads: 2))
        simulator.recordCoverage = true
        let outcomes = simulator.run([baseline, reform], on: population)
        #expect(Array(outcomes[1].benefitRecipients.values) == want.benefitRecipients)
        #expect(Array(outcomes[1].componentMask!.values) == want.mask)
        let alone = simulator.run([reform], on: population)[0]
        #expect(Array(alone.benefitRecipients.values) == want.benefitRecipients)
        #expect(alone.disposableIncome.values.map(\.bitPattern) == outcomes[1].disposableIncome.values.map(\.bitPattern))
    }
}
