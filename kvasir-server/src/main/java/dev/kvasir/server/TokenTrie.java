package dev.kvasir.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A radix tree over token-id sequences, one value per stored sequence. It answers the prompt
 * cache's question in O(prompt length): which stored sequence shares the longest prefix with this
 * prompt (the stored one may be longer: the caller trims it back). Not thread-safe.
 */
final class TokenTrie<V> {
    /** A stored value and how many leading tokens of the query its sequence shares. */
    record Match<V>(V value, int length) {
    }

    private static final class Node<V> {
        int[] label;
        final Map<Integer, Node<V>> children = new HashMap<>(4);
        V value;
        int count; // values stored in this subtree: a node with 0 is pruned

        Node(int[] label) {
            this.label = label;
        }
    }

    private final Node<V> root = new Node<>(new int[0]);

    int size() {
        return root.count;
    }

    /** Stores {@code value} under {@code tokens}; returns the value it replaces, or null. */
    V put(int[] tokens, V value) {
        List<Node<V>> path = new ArrayList<>();
        Node<V> node = root;
        path.add(node);
        int pos = 0;
        while (pos < tokens.length) {
            Node<V> child = node.children.get(tokens[pos]);
            if (child == null) {
                child = new Node<>(Arrays.copyOfRange(tokens, pos, tokens.length));
                node.children.put(tokens[pos], child);
                pos = tokens.length;
            } else {
                int m = common(child.label, tokens, pos);
                if (m < child.label.length) {
                    child = split(node, child, m);
                }
                pos += m;
            }
            node = child;
            path.add(node);
        }
        V old = node.value;
        node.value = value;
        if (old == null) {
            path.forEach(n -> n.count++);
        }
        return old;
    }

    /** Removes the value stored under exactly {@code tokens}; returns it, or null. */
    V remove(int[] tokens) {
        List<Node<V>> path = new ArrayList<>();
        Node<V> node = root;
        path.add(node);
        int pos = 0;
        while (pos < tokens.length) {
            Node<V> child = node.children.get(tokens[pos]);
            if (child == null || common(child.label, tokens, pos) < child.label.length) {
                return null;
            }
            pos += child.label.length;
            node = child;
            path.add(node);
        }
        V old = node.value;
        if (old == null) {
            return null;
        }
        node.value = null;
        for (int i = path.size() - 1; i >= 0; i--) {
            Node<V> n = path.get(i);
            if (--n.count == 0 && i > 0) {
                path.get(i - 1).children.remove(n.label[0]);
            }
        }
        return old;
    }

    /** The stored sequence sharing the most leading tokens with {@code query}, or null when none shares one. */
    Match<V> longest(int[] query) {
        Node<V> node = root;
        int pos = 0;
        while (pos < query.length) {
            Node<V> child = node.children.get(query[pos]);
            if (child == null) {
                break;
            }
            int m = common(child.label, query, pos);
            pos += m;
            node = child;
            if (m < child.label.length) {
                break;
            }
        }
        if (pos == 0) {
            return null;
        }
        while (node.value == null) { // every node has a value somewhere below it
            node = node.children.values().iterator().next();
        }
        return new Match<>(node.value, pos);
    }

    /** Values whose sequences are prefixes of {@code tokens} (including an exact match). */
    List<V> prefixesOf(int[] tokens) {
        List<V> out = new ArrayList<>();
        Node<V> node = root;
        int pos = 0;
        while (true) {
            if (node.value != null) {
                out.add(node.value);
            }
            if (pos == tokens.length) {
                return out;
            }
            Node<V> child = node.children.get(tokens[pos]);
            if (child == null || common(child.label, tokens, pos) < child.label.length) {
                return out;
            }
            pos += child.label.length;
            node = child;
        }
    }

    private Node<V> split(Node<V> parent, Node<V> child, int at) {
        Node<V> mid = new Node<>(Arrays.copyOf(child.label, at));
        mid.count = child.count;
        child.label = Arrays.copyOfRange(child.label, at, child.label.length);
        mid.children.put(child.label[0], child);
        parent.children.put(mid.label[0], mid);
        return mid;
    }

    private static int common(int[] label, int[] tokens, int pos) {
        int n = Math.min(label.length, tokens.length - pos);
        int i = Arrays.mismatch(label, 0, n, tokens, pos, pos + n);
        return i < 0 ? n : i;
    }
}
