package dev.kvasir.cache;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian, unaligned element layouts: how plane data is laid out in .kvc files. */
final class Planes {
    static final ValueLayout F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout U8 = ValueLayout.JAVA_BYTE;

    private Planes() {
    }
}
