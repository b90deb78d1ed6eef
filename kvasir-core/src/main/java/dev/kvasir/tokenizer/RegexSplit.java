package dev.kvasir.tokenizer;

import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer regex run with java.util.regex, as llama.cpp runs the regexes it has no hand-written
 * splitter for: every match is a piece, and so is every stretch of text between matches. The matcher's
 * region is the piece, so lookaheads and {@code \z} stop at the piece's end like std::regex_iterator's.
 */
record RegexSplit(Pattern pattern) implements SplitRule {

    static RegexSplit of(String regex) {
        return new RegexSplit(Pattern.compile(regex));
    }

    @Override
    public void split(String text, int from, int to, IntConsumer ends) {
        Matcher m = pattern.matcher(text).region(from, to);
        int last = from;
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            if (m.start() > last) {
                ends.accept(m.start());
            }
            ends.accept(m.end());
            last = m.end();
        }
        if (last < to) {
            ends.accept(to);
        }
    }
}
