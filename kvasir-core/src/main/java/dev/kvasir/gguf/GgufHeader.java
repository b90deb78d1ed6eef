package dev.kvasir.gguf;

import java.util.List;

/**
 * A parsed and validated GGUF header. {@code infoEnd} is where the tensor infos end; {@code dataStart} is the
 * aligned start of the data section, which tensor offsets are relative to.
 */
record GgufHeader(int version, long alignment, GgufMetadata metadata, List<GgufTensorInfo> tensors, long infoEnd,
        long dataStart) {}
