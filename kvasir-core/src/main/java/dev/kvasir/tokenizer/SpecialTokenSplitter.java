package dev.kvasir.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp's tokenizer_st_partition: splits text on the texts of special tokens, longest token first,
 * before the model's tokenizer sees the rest. USER_DEFINED tokens are always split out; CONTROL and
 * UNKNOWN ones only when parsing special tokens. LSTRIP/RSTRIP tokens swallow adjacent whitespace.
 */
public final class SpecialTokenSplitter {
    private SpecialTokenSplitter() {
    }

    public static List<Fragment> split(Vocabulary vocab, String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment.Text(text));
        for (int id : vocab.specialTokensLongestFirst()) {
            int attributes = vocab.attributes(id);
            if (!parseSpecial && (attributes & (TokenAttr.CONTROL | TokenAttr.UNKNOWN)) != 0) {
                continue;
            }
            fragments = splitOn(fragments, id, vocab.token(id), attributes);
        }
        return fragments;
    }

    private static List<Fragment> splitOn(List<Fragment> fragments, int id, String token, int attributes) {
        List<Fragment> out = new ArrayList<>(fragments.size());
        for (Fragment fragment : fragments) {
            if (fragment instanceof Fragment.Text(String text) && text.contains(token)) {
                splitText(text, id, token, attributes, out);
            } else {
                out.add(fragment);
            }
        }
        return out;
    }

    private static void splitText(String text, int id, String token, int attributes, List<Fragment> out) {
        int pos = 0;
        int match;
        while ((match = text.indexOf(token, pos)) >= 0) {
            int leftEnd = match;
            if ((attributes & TokenAttr.LSTRIP) != 0) {
                while (leftEnd > pos && isSpace(text.charAt(leftEnd - 1))) {
                    leftEnd--;
                }
            }
            if (leftEnd > pos) {
                out.add(new Fragment.Text(text.substring(pos, leftEnd)));
            }
            out.add(new Fragment.Special(id));
            pos = match + token.length();
            if ((attributes & TokenAttr.RSTRIP) != 0) {
                while (pos < text.length() && isSpace(text.charAt(pos))) {
                    pos++;
                }
            }
        }
        if (pos < text.length()) {
            out.add(new Fragment.Text(text.substring(pos)));
        }
    }

    /** C's isspace in the "C" locale, which llama.cpp uses on raw bytes. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
