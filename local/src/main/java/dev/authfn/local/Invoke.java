package dev.authfn.local;

import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.runtime.InvocationException;
import dev.authfn.local.runtime.LambdaJson;
import dev.authfn.local.template.FunctionSpec;
import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One invocation of one function with an event file, like {@code sam local invoke}: the file is
 * read into the handler's input type ({@code I} of its {@code RequestHandler<I, O>}) the way the
 * Java Lambda runtime reads a payload, the handler is built with the function's environment and
 * called once, and its result is written as the runtime would return it.
 */
public final class Invoke {

    /** The handler returned; its result is on stdout. */
    public static final int OK = 0;
    /** The handler (or its constructor) threw. */
    public static final int HANDLER_FAILED = 1;
    /** The event file could not be read into the handler's input type. */
    public static final int BAD_EVENT = 2;

    private final SamTemplate template;
    private final LocalEnvironment environment;

    public Invoke(SamTemplate template, LocalEnvironment environment) {
        this.template = template;
        this.environment = environment;
    }

    /**
     * Invokes {@code logicalId} with the event in {@code eventFile}: the result as JSON on
     * {@code out}; on failure the function, exception class and message on {@code err} (the stack
     * trace too when {@code debug}).
     *
     * @return {@link #OK}, {@link #HANDLER_FAILED} or {@link #BAD_EVENT}
     */
    public int run(String logicalId, Path eventFile, boolean debug, PrintStream out, PrintStream err) throws IOException {
        FunctionSpec spec = template.function(logicalId);
        HostedFunction function = HostedFunction.load(spec, environment.functionEnvironment(template, spec),
                Invoke.class.getClassLoader(), 1, err);
        Object event;
        try (InputStream in = Files.newInputStream(eventFile)) {
            event = LambdaJson.read(in, function.inputType(), function.classLoader());
        } catch (RuntimeException e) {
            err.println("authfn: " + eventFile + " is not a " + function.inputType().getTypeName() + ": "
                    + LambdaJson.whyUnreadable(e));
            return BAD_EVENT;
        }
        Object result;
        try {
            result = function.invoke(event);
        } catch (InvocationException e) {
            err.println(e.getMessage());
            if (debug) {
                e.printStackTrace(err); // the invocation failure and, as "Caused by", what the handler threw
            }
            return HANDLER_FAILED;
        }
        out.println(LambdaJson.write(result, function.classLoader()));
        return OK;
    }
}
