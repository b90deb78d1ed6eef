package dev.kvasir.server;

import java.util.regex.Pattern;

/**
 * A session name as it may appear in a URL and as a file name: letters, digits, '.', '_' and '-',
 * starting with a letter or digit, at most 64 characters. Nothing else reaches the file system, so
 * no name can leave the sessions directory.
 */
record SessionName(String value) {
    static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    SessionName {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()
                || value.contains("..")) {
            throw ApiException.invalid("name", "invalid session name: use 1 to " + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit (no '..', no '/')");
        }
    }

    String fileName() {
        return value + ".kvc";
    }
}
