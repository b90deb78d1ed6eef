package dev.kvasir.tensor;

import dev.kvasir.KvasirException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes float weights into GGUF tensor data, e.g. for a model synthesizer or a converter. Q8_0, Q4_0,
 * Q4_1, Q5_0 and Q5_1 follow ggml's reference quantizers (quantize_row_*_ref) bit for bit; the K-quants use plain
 * round-to-nearest with per-sub-block scales ({@link KQuantizer}), a little less accurate than
 * llama-quantize's search but in the same format.
 */
public final class Quantizer {
    private Quantizer() {}

    /** The types {@link #quantize} can produce. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /**
     * Encodes {@code rows} rows of {@code cols} floats from {@code src} (row-major).
     *
     * @throws KvasirException when the type is unsupported or {@code cols} is not a multiple of its block
     */
    public static byte[] quantize(GgmlType type, float[] src, int rows, int cols) {
        if (!supports(type)) {
            throw new KvasirException("cannot quantize to " + type + "; supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1,"
                    + " Q5_0, Q5_1, Q4_K, Q5_K, Q6_K");
        }
        if (cols % type.blockSize() != 0) {
            throw new KvasirException("cannot quantize rows of " + cols + " elements to " + type
                    + ": the row length must be a multiple of " + type.blockSize());
        }
        long n = (long) rows * cols;
        if (src.length < n) {
            throw new IllegalArgumentException(rows + "x" + cols + " needs " + n + " floats, got " + src.length);
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.byteSize(n))).order(ByteOrder.LITTLE_ENDIAN);
        int blocks = (int) (n / type.blockSize());
        for (int b = 0; b < blocks; b++) {
            int from = b * type.blockSize();
            switch (type) {
                case F32 -> out.putFloat(src[from]);
                case F16 -> out.putShort(Float.floatToFloat16(src[from]));
                case BF16 -> out.putShort(toBf16(src[from]));
                case Q8_0 -> q8_0(src, from, out);
                case Q4_0 -> q4_0(src, from, out);
                case Q4_1 -> q4_1(src, from, out);
                case Q5_0 -> q5_0(src, from, out);
                case Q5_1 -> q5_1(src, from, out);
                case Q4_K -> KQuantizer.q4_K(src, from, out, false);
                case Q5_K -> KQuantizer.q4_K(src, from, out, true);
                case Q6_K -> KQuantizer.q6_K(src, from, out);
                default -> throw new AssertionError(type);
            }
        }
        return out.array();
    }

    /** ggml's fp32 to bf16: round to nearest even, NaN kept quiet. */
    static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** C's roundf: halves away from zero (Math.round rounds them up). */
    static int roundf(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    private static void q8_0(float[] x, int from, ByteBuffer out) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[from + j]));
        }
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.putShort(Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) {
            out.put((byte) roundf(x[from + j] * id));
        }
    }

    private static void q4_0(float[] x, int from, ByteBuffer out) {
        // The signed value of largest magnitude maps to -8, so the full range -8..7 is used.
        float amax = 0;
        float max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.putShort(Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[from + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[from + 16 + j] * id + 8.5f));
            out.put((byte) (lo | hi << 4));
        }
    }

    private static void q4_1(float[] x, int from, ByteBuffer out) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            min = Math.min(min, x[from + j]);
            max = Math.max(max, x[from + j]);
        }
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.putShort(Float.floatToFloat16(d));
        out.putShort(Float.floatToFloat16(min));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((x[from + j] - min) * id + 0.5f));
            int hi = Math.min(15, (int) ((x[from + 16 + j] - min) * id + 0.5f));
            out.put((byte) (lo | hi << 4));
        }
    }

    private static void q5_0(float[] x, int from, ByteBuffer out) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        int[] q = new int[32];
        for (int j = 0; j < 32; j++) {
            q[j] = Math.min(31, (int) (x[from + j] * id + 16.5f));
        }
        out.putShort(Float.floatToFloat16(d));
        putFiveBits(q, out);
    }

    private static void q5_1(float[] x, int from, ByteBuffer out) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            min = Math.min(min, x[from + j]);
            max = Math.max(max, x[from + j]);
        }
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        int[] q = new int[32];
        for (int j = 0; j < 32; j++) {
            q[j] = Math.min(31, (int) ((x[from + j] - min) * id + 0.5f));
        }
        out.putShort(Float.floatToFloat16(d));
        out.putShort(Float.floatToFloat16(min));
        putFiveBits(q, out);
    }

    /** qh (bit j = fifth bit of element j) then the nibbles, elements j and j + 16 sharing a byte. */
    private static void putFiveBits(int[] q, ByteBuffer out) {
        int qh = 0;
        for (int j = 0; j < 32; j++) {
            qh |= ((q[j] >> 4) & 1) << j;
        }
        out.putInt(qh);
        for (int j = 0; j < 16; j++) {
            out.put((byte) ((q[j] & 0x0F) | (q[j + 16] & 0x0F) << 4));
        }
    }
}
