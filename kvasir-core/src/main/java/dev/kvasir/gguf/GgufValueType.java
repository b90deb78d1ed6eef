package dev.kvasir.gguf;

/**
 * The metadata value types of GGUF, with their ids. {@link GgufMetadata#raw(String)} returns them as:
 * UINT8, INT8, UINT16, INT16, INT32 → {@link Integer} (unsigned ones zero-extended);
 * UINT32, INT64, UINT64 → {@link Long} (UINT32 zero-extended, UINT64 as its raw 64 bits);
 * FLOAT32 → {@link Float}; FLOAT64 → {@link Double}; BOOL → {@link Boolean}; STRING → {@link String};
 * ARRAY → {@link GgufArray}, whose values use the primitive array of the element's type
 * (int[], long[], float[], double[], boolean[], String[], GgufArray[]).
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minEncodedSize;

    GgufValueType(int id, int minEncodedSize) {
        this.id = id;
        this.minEncodedSize = minEncodedSize;
    }

    /** The id written in GGUF files. */
    public int id() {
        return id;
    }

    /** Fewest bytes a value of this type takes in a file (an empty string or array still has its length). */
    int minEncodedSize() {
        return minEncodedSize;
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this id, or null when the id is unknown. */
    public static GgufValueType byId(int id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
