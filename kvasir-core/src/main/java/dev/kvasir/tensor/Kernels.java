package dev.kvasir.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses. Static finals so C2 constant-folds them into the loops.
 *
 * <p>{@code F} is the preferred float species (16 lanes with AVX-512, 8 with AVX2), capped at 512 bits
 * and optionally narrowed by {@link Simd#BITS_PROPERTY}. Quantized blocks hold int8 values that are
 * widened to floats: {@code B} is the byte species whose lanes feed one or more {@code F} vectors
 * ({@link #B_PARTS} of them, because no byte species is narrower than 64 bits).
 */
final class Kernels {
    static final VectorSpecies<Float> F = floatSpecies();
    static final int L = F.length();
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final int BL = B.length();
    static final int B_PARTS = BL / L;
    /** Shorts for F16/BF16 rows: same lane count as {@code F}, so one short vector widens to one float vector. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private Kernels() {}

    /**
     * Widens IEEE half-precision bit patterns to floats exactly, including subnormals: the exponent and
     * mantissa bits shifted into float position are off by exactly 2^112 (the bias difference), even for
     * subnormals, so one multiply rebiases them; only Inf/NaN need their exponent forced to all ones.
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector infNan = shifted.or(0x7F800000);
        IntVector abs = finite.blend(infNan, magnitude.compare(VectorOperators.GE, 0x7C00));
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return abs.or(sign).reinterpretAsFloats();
    }

    private static final int[] BIT_INDEX = new int[64];

    static {
        for (int i = 0; i < BIT_INDEX.length; i++) {
            BIT_INDEX[i] = i;
        }
    }

    /**
     * Lane k holds bit {@code first + k} of {@code bits} moved to value 16: the fifth bits of Q5_0/Q5_1
     * come packed in one 32-bit word per block, so they are spread with a per-lane variable shift
     * instead of byte shuffles.
     */
    static IntVector fifthBits(int bits, int first) {
        IntVector shifts = IntVector.fromArray(I, BIT_INDEX, first);
        return IntVector.broadcast(I, bits).lanewise(VectorOperators.LSHR, shifts).and(1)
                .lanewise(VectorOperators.LSHL, 4);
    }

    /**
     * Part {@code part} of {@code bytes}, sign-extended to int lanes. Quant bits are unpacked in int lanes
     * because x86 has no byte-lane shifts: C2 emulates them with several instructions each.
     */
    static IntVector widen(ByteVector bytes, int part) {
        return (IntVector) bytes.convertShape(VectorOperators.B2I, I, part);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /** Bits 4-7 of each lane's low byte, as 0..15. */
    static IntVector highNibble(IntVector v) {
        return v.lanewise(VectorOperators.ASHR, 4).and(0x0F);
    }

    /** bfloat16 is the upper half of a float. */
    static FloatVector bf16ToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static VectorSpecies<Float> floatSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        int bits = Math.min(512, preferred.vectorBitSize());
        String forced = System.getProperty(Simd.BITS_PROPERTY);
        if (forced != null) {
            bits = Math.min(bits, Integer.parseInt(forced.trim()));
        }
        if (bits < 128) {
            // Without 128-bit float vectors there is no SIMD worth having; the 128-bit species still
            // computes correct results (in software).
            bits = 128;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    static String describe() {
        return "SIMD: " + F + " (" + L + " float lanes), int8 via " + B + (B_PARTS > 1 ? " split in " + B_PARTS : "")
                + ", f16/bf16 via " + S + "; kernels: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K fused dequantize-dot, 4x3 tiled matmul"
                + "; threads: " + Parallel.threads();
    }

    static {
        if (L > 32 || 32 % L != 0) {
            throw new IllegalStateException("unsupported vector length " + L + " floats");
        }
    }
}
