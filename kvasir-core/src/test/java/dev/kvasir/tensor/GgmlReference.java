package dev.kvasir.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test oracle: row decoders written straight from ggml's reference dequantize_row_* functions,
 * on a plain byte array, independent of the production classes.
 */
final class GgmlReference {
    private GgmlReference() {}

    static float[] dequantize(GgmlType type, byte[] data, int rows, int cols) {
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[rows * cols];
        int n = rows * cols;
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getFloat(4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(buf.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xFFFF) << 16);
                }
            }
            case Q8_0 -> {
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(34 * i));
                    for (int j = 0; j < 32; j++) {
                        out[i * 32 + j] = buf.get(34 * i + 2 + j) * d;
                    }
                }
            }
            case Q4_0 -> {
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(18 * i));
                    for (int j = 0; j < 16; j++) {
                        int q = buf.get(18 * i + 2 + j) & 0xFF;
                        out[i * 32 + j] = ((q & 0x0F) - 8) * d;
                        out[i * 32 + j + 16] = ((q >> 4) - 8) * d;
                    }
                }
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
        return out;
    }
}
