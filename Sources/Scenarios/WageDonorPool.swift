import SimKernel

/// Monthly earnings of employed people, grouped into cells, from which a
/// reference wage is drawn for people with no current earnings (the
/// unemployed claimants of ``UnemploymentInsurance``).
///
/// Donors are persons with `labour_status` 1 (formal) or 2 (informal) and
/// earnings > 0. A cell is (kind of job, sex, age band, region), the kind of
/// job being the donor's labour status and the recipient's `last_job_status`,
/// so a former formal employee gets a formal wage. If the recipient's cell
/// has fewer than `minimumDonors` donors, the match is relaxed step by step:
/// (job, sex, age band, region) → (job, sex, age band) → (job, sex) → (job)
/// → all donors. Within the cell a donor is drawn with probability
/// proportional to their household weight (one uniform u from the
/// household's random stream; the first donor, in the order of household id
/// and position in the household, whose cumulative weight exceeds u × total;
/// so the draw does not depend on the order of rows), and the recipient's reference wage
/// is the donor's earnings: a hot-deck draw that keeps the spread of wages.
/// With no donor at all the reference wage is 0.
struct WageDonorPool: Sendable {
    private struct Cell: Sendable {
        var cumulativeWeight: [Double] = []
        var earnings: [Double] = []
    }

    private let cells: [Int64: Cell]
    private let ageBandStarts: [Int32]
    private let minimumDonors: Int

    /// Builds the cells from the population (O(persons)).
    ///
    /// - Parameters:
    ///   - ageBandStarts: Rising lower bounds of the age bands (e.g. 15, 25, 35, 45, 55, 65);
    ///     ages below the first fall in the first band.
    ///   - minimumDonors: Fewest donors for a cell to be used.
    init(population: Population, ageBandStarts: [Int32], minimumDonors: Int) {
        self.ageBandStarts = ageBandStarts
        self.minimumDonors = minimumDonors
        let status = population.integers("labour_status"), earnings = population.reals("earnings")
        let sex = population.integers("sex"), age = population.integers("age"), region = population.integers("region")
        // Donors per cell, then sorted by (household id, position in the household): the pool, and so
        // every draw, does not depend on the order of rows in the file.
        var donors: [Int64: [(household: Int64, member: Int, weight: Double, earnings: Double)]] = [:]
        for h in 0..<population.householdCount {
            let w = population.weight[h], id = population.householdID[h]
            let first = population.householdStart[h]
            for i in population.persons(of: h) where (status[i] == 1 || status[i] == 2) && earnings[i] > 0 {
                let band = Self.band(of: age[i], starts: ageBandStarts)
                for level in 0...4 {
                    let key = Self.key(level: level, job: status[i], sex: sex[i], band: band, region: region[i])
                    donors[key, default: []].append((id, i - first, w, earnings[i]))  // in place: no copy
                }
            }
        }
        var cells: [Int64: Cell] = [:]
        for (key, list) in donors {
            var cell = Cell()
            var total = 0.0
            for d in list.sorted(by: { ($0.household, $0.member) < ($1.household, $1.member) }) {
                total += d.weight
                cell.cumulativeWeight.append(total)
                cell.earnings.append(d.earnings)
            }
            cells[key] = cell
        }
        self.cells = cells
    }

    /// The index of the age band holding `age`.
    static func band(of age: Int32, starts: [Int32]) -> Int32 {
        var b: Int32 = 0
        for (k, s) in starts.enumerated() where age >= s { b = Int32(k) }
        return b
    }

    /// A cell's key at relaxation `level` (0 = full match, 4 = all donors).
    private static func key(level: Int, job: Int32, sex: Int32, band: Int32, region: Int32) -> Int64 {
        let j = level < 4 ? Int64(job & 0xFF) : 0xFF
        let s = level < 3 ? Int64(sex & 0xFF) : 0xFF
        let b = level < 2 ? Int64(band & 0xFF) : 0xFF
        let r = level < 1 ? Int64(UInt32(bitPattern: region)) : 0xFFFF_FFFF
        return Int64(level) << 60 | j << 48 | s << 40 | b << 32 | r
    }

    /// A reference wage for someone whose last job was `job` (1 formal, 2
    /// informal), of sex `sex`, age `age`, in `region`, drawn with `stream`.
    func draw(job: Int32, sex: Int32, age: Int32, region: Int32, stream: RandomStream) -> Double {
        let band = Self.band(of: age, starts: ageBandStarts)
        for level in 0...4 {
            guard let cell = cells[Self.key(level: level, job: job, sex: sex, band: band, region: region)],
                cell.earnings.count >= minimumDonors || level == 4
            else { continue }
            let target = stream.uniform() * cell.cumulativeWeight.last!
            // First donor whose cumulative weight exceeds the target (binary search).
            var lo = 0, hi = cell.cumulativeWeight.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cell.cumulativeWeight[mid] > target { hi = mid } else { lo = mid + 1 }
            }
            return cell.earnings[lo]
        }
        return 0
    }
}
