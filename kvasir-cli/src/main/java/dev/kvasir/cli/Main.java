package dev.kvasir.cli;

/** Entry point of the {@code kvasir} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("kvasir: not yet implemented");
    }
}
