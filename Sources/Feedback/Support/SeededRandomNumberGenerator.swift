/// A small deterministic generator (SplitMix64). Tests and reproducible simulations inject it wherever a rule
/// takes `some RandomNumberGenerator`; production passes `SystemRandomNumberGenerator`.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Draws one of several options with probability proportional to its weight.
public enum WeightedChoice {
    /// Options with a weight of zero or less are never drawn; nil when none has a positive weight.
    public static func pick<T>(_ options: [(T, Double)], using rng: inout some RandomNumberGenerator) -> T? {
        let usable = options.filter { $0.1 > 0 }
        let total = usable.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        var ticket = Double.random(in: 0..<total, using: &rng)
        for (option, weight) in usable {
            ticket -= weight
            if ticket < 0 { return option }
        }
        return usable.last?.0
    }
}
