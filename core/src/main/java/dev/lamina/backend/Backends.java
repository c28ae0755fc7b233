package dev.lamina.backend;

import dev.lamina.LaminaException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds backends on the class path and chooses one. The choice, in order: {@link #use(String)} in
 * code, the system property {@code lamina.backend}, the environment variable
 * {@code LAMINA_BACKEND}, then {@code auto} (the usable backend with the highest priority: CUDA
 * when a usable GPU is found, otherwise the CPU; the log says which and why). {@code auto} never
 * picks the reference backend: without a real backend on the class path it fails, saying to add
 * {@code lamina-cpu}.
 */
public final class Backends {
    public static final String PROPERTY = "lamina.backend";
    public static final String ENVIRONMENT = "LAMINA_BACKEND";
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger("dev.lamina.backend");
    private static final Map<String, BackendProvider> PROVIDERS = discover();
    private static final Map<String, Backend> CREATED = new LinkedHashMap<>();
    private static volatile String chosenInCode;
    private static String lastAutoReport;

    private Backends() {
    }

    private static Map<String, BackendProvider> discover() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        for (BackendProvider p : found) {
            byName.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        }
        return byName;
    }

    /** Chooses the backend new models use, by name ("cpu", "cuda", "reference" or "auto"). */
    public static void use(String name) {
        String key = normalise(name);
        if (!key.equals(AUTO)) {
            provider(key); // fails now, with the list, rather than at the first model
        }
        chosenInCode = key;
    }

    /** The backend new models use, chosen as the class comment says. */
    public static Backend current() {
        return get(requestedName());
    }

    /** The backend of that name ("auto" resolves as for {@link #current()}). */
    public static synchronized Backend get(String name) {
        String key = normalise(name);
        if (key.equals(AUTO)) {
            key = autoName();
        }
        BackendProvider provider = provider(key);
        Backend backend = CREATED.get(key);
        if (backend == null) {
            backend = provider.create();
            CREATED.put(key, backend);
        }
        return backend;
    }

    /** The names of the backends that are found and usable here, best first (the reference backend among them). */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : PROVIDERS.values()) {
            if (p.unavailableReason() == null) {
                names.add(p.name());
            }
        }
        return names;
    }

    /** Every backend found, usable or not (with the reason), best first. */
    public static Map<String, String> found() {
        Map<String, String> status = new LinkedHashMap<>();
        for (BackendProvider p : PROVIDERS.values()) {
            String why = p.unavailableReason();
            status.put(p.name(), why == null ? "usable" : "not usable: " + why);
        }
        return status;
    }

    /** A report for users: every backend found, whether it is usable, and the chosen one's description. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        found().forEach((name, status) -> sb.append(name).append(": ").append(status).append('\n'));
        Backend chosen;
        try {
            chosen = current();
        } catch (LaminaException e) {
            return sb.append("selected: none (requested: ").append(requestedName()).append("): ")
                    .append(e.getMessage()).append('\n').toString();
        }
        sb.append("selected: ").append(chosen.name()).append(" (requested: ").append(requestedName()).append(")\n");
        sb.append(chosen.description()).append('\n');
        return sb.toString();
    }

    /** What was asked for, before {@code auto} is resolved. */
    public static String requestedName() {
        String name = chosenInCode;
        if (name == null) {
            name = System.getProperty(PROPERTY);
        }
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return normalise(name == null || name.isBlank() ? AUTO : name);
    }

    /**
     * The backend {@code auto} would pick here, or empty when there is none: the usable backend with
     * the highest priority among those {@linkplain BackendProvider#chosenByAuto() auto may choose}.
     * The reference backend is never among them.
     */
    public static Optional<String> autoChoice() {
        for (BackendProvider p : PROVIDERS.values()) {
            if (p.chosenByAuto() && p.unavailableReason() == null) {
                return Optional.of(p.name());
            }
        }
        return Optional.empty();
    }

    private static String autoName() {
        Optional<String> choice = autoChoice();
        StringBuilder why = new StringBuilder();
        for (BackendProvider p : PROVIDERS.values()) {
            if (choice.isPresent() && p.name().equals(choice.get())) {
                break;
            }
            if (p.chosenByAuto()) {
                why.append(why.length() == 0 ? "" : "; ").append(p.name()).append(" not usable: ").append(p.unavailableReason());
            }
        }
        if (choice.isEmpty()) {
            throw new LaminaException(noBackendMessage(why.toString()));
        }
        String report = "Lamina backend 'auto' chose " + choice.get() + (why.length() == 0 ? "" : " (" + why + ")");
        if (!report.equals(lastAutoReport)) {
            lastAutoReport = report;
            LOG.log(System.Logger.Level.INFO, report);
        }
        return choice.get();
    }

    private static String noBackendMessage(String whyNot) {
        return "No usable Lamina backend for 'auto' on the class path"
                + (whyNot.isEmpty() ? "" : " (" + whyNot + ")")
                + ". Put lamina-cpu on the class path for the CPU backend (lamina-cuda for an NVIDIA GPU)."
                + " In a fat or shaded jar, keep every META-INF/services/" + BackendProvider.class.getName()
                + " entry (merge the service files). The reference backend is the slow test oracle:"
                + " auto never picks it; ask for it by name (\"reference\") if you mean it.";
    }

    private static BackendProvider provider(String key) {
        BackendProvider p = PROVIDERS.get(key);
        if (p == null) {
            throw new LaminaException("Unknown backend '" + key + "'. Backends found: " + String.join(", ", PROVIDERS.keySet())
                    + " (or 'auto'). Add the backend's module (lamina-cpu, lamina-cuda) to the class path to use it.");
        }
        String reason = p.unavailableReason();
        if (reason != null) {
            throw new LaminaException("Backend '" + key + "' is not usable here: " + reason
                    + ". Usable backends: " + String.join(", ", available()) + ".");
        }
        return p;
    }

    private static String normalise(String name) {
        if (name == null) {
            throw new LaminaException("Backend name is null; use one of " + String.join(", ", PROVIDERS.keySet()) + " or 'auto'.");
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
