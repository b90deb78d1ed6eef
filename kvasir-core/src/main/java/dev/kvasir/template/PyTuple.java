package dev.kvasir.template;

import java.util.List;

/** A Python tuple: like a list but printed as {@code (a, b)} and not equal to a list. */
record PyTuple(List<Object> items) {
}
