package dev.kvasir.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Seeded random tensors in GGUF encodings, and unaligned segments to hold them. */
final class TestData {
    private TestData() {}

    /** Random valid encoded data: finite scales, every quant value possible, some f16 subnormals. */
    static byte[] randomEncoded(GgmlType type, int rows, int cols, Random rnd) {
        int n = rows * cols;
        byte[] bytes = new byte[(int) type.byteSize(n)];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    buf.putFloat(4 * i, (float) rnd.nextGaussian());
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    short h = i % 17 == 5
                            ? (short) (rnd.nextInt(0x400) | (rnd.nextBoolean() ? 0x8000 : 0)) // subnormal
                            : Float.floatToFloat16((float) rnd.nextGaussian());
                    buf.putShort(2 * i, h);
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    buf.putShort(2 * i, (short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
                }
            }
            default -> {
                // Random quants and packed scales; the f16 super-scales must be finite.
                rnd.nextBytes(bytes);
                int[] halfOffsets = switch (type) {
                    case Q8_0, Q4_0, Q5_0 -> new int[] {0};
                    case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException(type.toString());
                };
                for (int b = 0; b < n / type.blockSize(); b++) {
                    for (int off : halfOffsets) {
                        float d = (rnd.nextBoolean() ? 1 : -1) * (0.001f + 0.05f * rnd.nextFloat());
                        buf.putShort(b * type.typeSize() + off, Float.floatToFloat16(d));
                    }
                }
            }
        }
        return bytes;
    }

    /** A read-only segment holding {@code bytes} at an odd address, as a GGUF tensor may sit. */
    static MemorySegment unaligned(byte[] bytes, int misalign) {
        MemorySegment whole = Arena.ofAuto().allocate(bytes.length + 8L, 8);
        MemorySegment slice = whole.asSlice(misalign, bytes.length);
        MemorySegment.copy(bytes, 0, slice, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return slice.asReadOnly();
    }

    static float[] gaussian(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
