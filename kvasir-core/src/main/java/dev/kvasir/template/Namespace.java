package dev.kvasir.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** Jinja2's {@code namespace()}: the one mutable object, so loops can carry state out ({@code set ns.x = ...}). */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();

    @Override
    public String toString() {
        return "<Namespace " + attributes + ">";
    }
}
