package dev.kvasir.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content addresses of KV chunks (docs/cache-format.md, "KV chunks"). A chunk's hash is
 * SHA-256(previous chunk's hash ‖ this chunk's token ids), starting from a root hash of the
 * namespace: model fingerprint, architecture, KV layout, RoPE, cache kind and element type, and the
 * chunk format version. So equal prefixes give equal keys across conversations and servers, a key
 * names its whole prefix (not only its own tokens), and another model or cache layout never meets
 * the same key.
 */
public final class ChunkKeys {
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] root;
    private final String prefix;

    public ChunkKeys(ModelIdentity model, CacheOptions options) {
        KvLayout l = model.layout();
        String namespace = String.join("\n", "kvasir-kv-chunk", Integer.toString(KvChunks.VERSION), model.fingerprint(),
                model.architecture(), l.layers() + "x" + l.kvHeads() + "x" + l.headDim(),
                model.ropeType() + " " + Float.toString(model.ropeFreqBase()), options.kind() + " " + options.type() + " " + options.maxSize() + " " + options.keep() + " " + options.bits()
                        + " " + options.groupSize() + " " + options.fullPrecisionTokens());
        this.root = sha256().digest(namespace.getBytes(StandardCharsets.UTF_8));
        this.prefix = "kvasir:" + KvChunks.VERSION + ":" + HEX.formatHex(root, 0, 8) + ":";
    }

    /** The hash before the first chunk. */
    public byte[] root() {
        return root.clone();
    }

    /** The hash of the chunk holding {@code tokens[from, to)} after the chunk hashed {@code previous}. */
    public byte[] next(byte[] previous, int[] tokens, int from, int to) {
        MessageDigest sha = sha256();
        sha.update(previous);
        ByteBuffer ids = ByteBuffer.allocate(4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        ids.asIntBuffer().put(tokens, from, to - from);
        sha.update(ids.array());
        return sha.digest();
    }

    /** The hashes of the first {@code count} chunks of {@code chunk} tokens each. */
    public byte[][] chain(int[] tokens, int chunk, int count) {
        byte[][] out = new byte[count][];
        byte[] h = root;
        for (int i = 0; i < count; i++) {
            h = next(h, tokens, i * chunk, (i + 1) * chunk);
            out[i] = h;
        }
        return out;
    }

    /** The store key of a chunk hash: {@code kvasir:VERSION:NAMESPACE:HASH}. */
    public String key(byte[] hash) {
        return prefix + HEX.formatHex(hash);
    }

    /**
     * The key of the set naming the chunks stored after {@code parent} (full ones and shorter tails),
     * each member its token ids in decimal, comma-separated: a prompt that ends inside a chunk finds
     * the child sharing most of its remaining tokens and uses that many of its positions.
     */
    public String childrenKey(byte[] parent) {
        return key(parent) + ":next";
    }

    /** The key of a named session's record. */
    public String sessionKey(String name) {
        return prefix + "session:" + name;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
