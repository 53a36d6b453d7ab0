import Foundation

/// Element-wise pieces of the forward pass, written to match ggml's arithmetic.
enum Ops {
    /// RMSNorm: x / sqrt(mean(x²) + eps) · weight. The sum of squares is accumulated in Double as ggml does.
    static func rmsNorm(_ x: UnsafeMutablePointer<Float>, count n: Int, weight: UnsafePointer<Float>?, epsilon: Float,
                        output: UnsafeMutablePointer<Float>) {
        // The squares are summed in doubles, as ggml does; eight lanes at a time, since a single running sum
        // waits on every add (the order differs from ggml's only far below a float's precision).
        var lanes = SIMD8<Double>()
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes += SIMD8<Double>(v * v)
            i += 8
        }
        var sum = lanes.sum()
        while i < n { sum += Double(x[i] * x[i]); i += 1 }
        let scale = 1 / (Float(sum / Double(n)) + epsilon).squareRoot()
        if let w = weight {
            for i in 0..<n { output[i] = x[i] * scale * w[i] }
        } else {
            for i in 0..<n { output[i] = x[i] * scale }
        }
    }

    /// The cosines and sines of the rotary angles of `position` (dims / 2 of each). Angles advance by
    /// repeated multiplication, as in ggml. Computed once per token and RoPE base, for all heads and layers.
    static func ropeAngles(dims: Int, position: Int, base: Float, scale: Float, factors: UnsafePointer<Float>? = nil,
                           cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(base, -2 / Float(dims))
        var theta = Float(position)
        for i in 0..<(dims / 2) {
            let t = scale * (factors.map { theta / $0[i] } ?? theta)
            cos[i] = cosf(t)
            sin[i] = sinf(t)
            theta *= thetaScale
        }
    }

    /// Rotary position embedding of one head in place, with angles from `ropeAngles`. `neox` rotates
    /// (i, i + dims/2) pairs, otherwise adjacent (2i, 2i+1) pairs.
    static func rope(_ x: UnsafeMutablePointer<Float>, dims: Int, neox: Bool, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        for i in 0..<(dims / 2) {
            let c = cos[i], s = sin[i]
            let a = neox ? i : 2 * i
            let b = neox ? i + dims / 2 : 2 * i + 1
            let x0 = x[a], x1 = x[b]
            x[a] = x0 * c - x1 * s
            x[b] = x0 * s + x1 * c
        }
    }

    /// GELU (tanh approximation) of every fp16 value, rounded to fp16: ggml evaluates GELU through this table.
    static let geluTable: [Float] = (0..<65536).map { i in
        let x = Float(Float16(bitPattern: UInt16(i)))
        let g = 0.5 * x * (1 + tanhf(0.797_884_56 * x * (1 + 0.044715 * x * x)))
        return Float(Float16(g))
    }

    /// out = GELU(gate) · up, elementwise, with ggml's table and clamps.
    static func geglu(_ gate: UnsafePointer<Float>, _ up: UnsafePointer<Float>, count n: Int, output: UnsafeMutablePointer<Float>) {
        geluTable.withUnsafeBufferPointer { table in
            for i in 0..<n {
                let x = gate[i]
                if x <= -10 { output[i] = 0 } else if x >= 10 { output[i] = x * up[i] } else {
                    output[i] = table[Int(halfBits(x))] * up[i]
                }
            }
        }
    }

    /// out = SiLU(gate) · up, elementwise.
    static func swiglu(_ gate: UnsafePointer<Float>, _ up: UnsafePointer<Float>, count n: Int, output: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            let x = gate[i]
            output[i] = x / (1 + expf(-x)) * up[i]
        }
    }
}
