package dev.authfn.local.template;

/** The template cannot be parsed, or the local run cannot serve what it declares. The message says where. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
