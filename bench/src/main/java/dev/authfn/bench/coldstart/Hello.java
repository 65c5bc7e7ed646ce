package dev.authfn.bench.coldstart;

/** The cold-start baseline: a JVM that starts, says hello, and is done. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        Checkpoints checkpoints = new Checkpoints(args[0]);
        System.out.println("Hello, world");
        checkpoints.mark("jvm");
        checkpoints.print();
    }
}
