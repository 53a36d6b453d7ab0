import Foundation

/// What a load run measured for one kind of request, whichever client produced the load.
struct LoadFigures {
    var name: String
    var requests: Int
    var errors: Int
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var seconds: Double

    var perSecond: Double { Double(requests) / seconds }

    /// The figures from individual latencies, in milliseconds.
    init(name: String, latencies: [Double], errors: Int, seconds: Double) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        self.init(name: name, requests: sorted.count, errors: errors, p50Milliseconds: percentile(0.5),
                  p99Milliseconds: percentile(0.99), seconds: seconds)
    }

    init(name: String, requests: Int, errors: Int, p50Milliseconds: Double, p99Milliseconds: Double, seconds: Double) {
        self.name = name
        self.requests = requests
        self.errors = errors
        self.p50Milliseconds = p50Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.seconds = seconds
    }

    static func printTable(_ rows: [LoadFigures]) {
        func cells(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let pad = String(repeating: " ", count: max(0, (index == 0 ? 14 : 10) - value.count))
                return index == 0 ? value + pad : pad + value
            }.joined(separator: " ")
        }
        print(cells(["request", "count", "req/s", "p50 ms", "p99 ms", "errors"]))
        for row in rows {
            print(cells([row.name, "\(row.requests)", String(format: "%.1f", row.perSecond), String(format: "%.2f", row.p50Milliseconds),
                         String(format: "%.2f", row.p99Milliseconds), "\(row.errors)"]))
        }
    }
}
