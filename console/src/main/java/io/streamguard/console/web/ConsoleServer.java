package io.streamguard.console.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.streamguard.console.store.Audit;
import io.streamguard.console.store.Claims;
import io.streamguard.console.store.ConsoleException;
import io.streamguard.console.store.Cursor;
import io.streamguard.console.store.Events;
import io.streamguard.console.store.Queue;
import io.streamguard.console.store.QueueCounts;
import io.streamguard.console.store.QueueItem;
import io.streamguard.console.store.QueuePage;
import io.streamguard.console.store.QueueQuery;
import io.streamguard.console.store.Queues;
import io.streamguard.console.store.Role;
import io.streamguard.console.store.Users;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The moderator console's HTTP server: sign-in, the queues, an item with its verdict form. Pages are
 * rendered on the server as escaped HTML ({@link Html}); htmx (from its webjar) refreshes the counts and
 * the first queue page in place, and a small script adds keyboard shortcuts.
 *
 * <p>Every request but the sign-in form and static files needs a signed-in session; every POST must
 * carry the session's CSRF token (a form field {@code csrf} or header {@code X-CSRF-Token}) or is refused
 * with 403. Repeated failed sign-ins are refused for a while ({@link SignInThrottle}); the admins' pages
 * live in {@link AdminRoutes}. Responses carry their server time ({@link ServerTiming}).
 */
public final class ConsoleServer implements AutoCloseable {
    private final ConsoleConfig config;
    private final Users users;
    private final Queues queues;
    private final Claims claims;
    private final Events events;
    private final Audit audit;
    private final Thresholds thresholds;
    private final VerdictSink sink;
    private final Explainer explainer;
    private final LiveModel liveModel;
    private final Clock clock;
    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final AdminRoutes admin;
    private Javalin app;

    private ConsoleServer(Builder b) {
        this.config = b.config;
        this.users = new Users(b.db);
        this.queues = new Queues(b.db, b.clock);
        this.claims = new Claims(b.db, queues);
        this.events = new Events(b.db);
        this.audit = new Audit(b.db);
        this.thresholds = b.thresholds;
        this.sink = Objects.requireNonNull(b.sink, "a verdict sink");
        this.explainer = b.explainer;
        this.liveModel = b.liveModel;
        this.clock = b.clock;
        this.sessions = new Sessions(config.sessionTtl(), clock);
        this.throttle = new SignInThrottle(clock);
        this.admin = new AdminRoutes(audit, thresholds, b.policy, this::session, s -> header(s, queues.counts()));
    }

    /** A server on {@code db} (console tables installed); {@link Builder#verdicts} must be given. */
    public static Builder builder(ConsoleConfig config, DataSource db) {
        return new Builder(config, db);
    }

    /** What the console is wired to; all but the verdict sink have a default for a console alone. */
    public static final class Builder {
        private final ConsoleConfig config;
        private final DataSource db;
        private Thresholds thresholds = Thresholds.fixed(Map.of());
        private VerdictSink sink;
        private Explainer explainer = Explainer.none();
        private LiveModel liveModel = LiveModel.unknown();
        private PolicyEditor policy = PolicyEditor.none();
        private Clock clock = Clock.systemUTC();

        private Builder(ConsoleConfig config, DataSource db) {
            this.config = Objects.requireNonNull(config, "config");
            this.db = Objects.requireNonNull(db, "db");
        }

        public Builder thresholds(Thresholds value) {
            this.thresholds = Objects.requireNonNull(value);
            return this;
        }

        public Builder verdicts(VerdictSink value) {
            this.sink = Objects.requireNonNull(value);
            return this;
        }

        public Builder explainer(Explainer value) {
            this.explainer = Objects.requireNonNull(value);
            return this;
        }

        public Builder liveModel(LiveModel value) {
            this.liveModel = Objects.requireNonNull(value);
            return this;
        }

        public Builder policy(PolicyEditor value) {
            this.policy = Objects.requireNonNull(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public ConsoleServer build() {
            return new ConsoleServer(this);
        }
    }

    /** Starts serving; returns this. The console's tables must be installed (ConsoleSchema). */
    public synchronized ConsoleServer start() {
        if (app != null) {
            throw new ConsoleException("the console server is already started");
        }
        app = Javalin.create(cfg -> {
            cfg.staticFiles.enableWebjars();
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/io/streamguard/console/web/static";
                s.location = Location.CLASSPATH;
            });
            cfg.routes.before(ServerTiming::start);
            cfg.routes.before(ConsoleServer::securityHeaders);
            cfg.routes.before(this::authenticate);
            cfg.routes.get("/login", this::loginForm);
            cfg.routes.post("/login", this::login);
            cfg.routes.post("/logout", this::logout);
            cfg.routes.get("/", ctx -> ctx.redirect("/queue"));
            cfg.routes.get("/queue", this::queuePage);
            cfg.routes.get("/queue/rows", this::queueRows);
            cfg.routes.get("/counts", ctx -> ctx.html(QueueView.counts(queues.counts())));
            cfg.routes.get("/next", this::next);
            cfg.routes.get("/item/{id}", this::item);
            cfg.routes.post("/item/{id}/verdict", this::verdict);
            cfg.routes.get("/audit", admin::auditLog);
            cfg.routes.get("/admin/thresholds", admin::thresholdsPage);
            cfg.routes.post("/admin/thresholds", admin::setThresholds);
            cfg.routes.post("/bulk", this::bulk);
            cfg.routes.after(ServerTiming::stamp);
            cfg.routes.exception(BadRequest.class, (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST)
                    .html(Html.page("Bad request", "", "<p class=\"error\">" + Html.esc(e.getMessage()) + "</p>")));
        });
        app.start(config.host(), config.port());
        return this;
    }

    /** The base URL, e.g. http://127.0.0.1:41234, once started. */
    public String url() {
        if (app == null) {
            throw new ConsoleException("the console server is not started");
        }
        return "http://" + config.host() + ":" + app.port();
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    // ---- sessions, sign-in, CSRF

    /** No framing (clickjacking), no MIME sniffing, no referrer leaving the console with item ids. */
    private static void securityHeaders(Context ctx) {
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
    }

    private void authenticate(Context ctx) {
        if (ctx.path().startsWith("/static/") || ctx.path().startsWith("/webjars/")) {
            return;
        }
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (ctx.method() == HandlerType.POST) {
            String token = Optional.ofNullable(ctx.formParam("csrf")).orElse(ctx.header("X-CSRF-Token"));
            if (session.isEmpty()
                    || token == null
                    || !constantTimeEquals(token, session.get().csrf())) {
                throw new ForbiddenResponse("missing or wrong CSRF token");
            }
        }
        if (ctx.path().equals("/login")) {
            return;
        }
        if (session.isEmpty() || !session.get().signedIn()) {
            if (ctx.method() == HandlerType.POST) {
                throw new ForbiddenResponse("not signed in");
            }
            ctx.redirect("/login");
            ctx.skipRemainingHandlers();
        }
    }

    private void loginForm(Context ctx) {
        Sessions.Session session = sessions.find(ctx.cookie(Sessions.COOKIE)).orElseGet(() -> {
            Sessions.Session s = sessions.anonymous();
            setCookie(ctx, s.id());
            return s;
        });
        if (session.signedIn()) {
            ctx.redirect("/queue");
            return;
        }
        ctx.html(LoginView.page(session.csrf(), Optional.empty(), ""));
    }

    private void login(Context ctx) {
        String name = Optional.ofNullable(ctx.formParam("username")).orElse("").trim();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        Sessions.Session anonymous = session(ctx);
        Optional<Duration> wait = throttle.blocked(name, ctx.ip());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header("Retry-After", Long.toString(seconds))
                    .html(LoginView.page(
                            anonymous.csrf(),
                            Optional.of("Too many failed sign-ins for this name or from this address:"
                                    + " try again in " + seconds + " s."),
                            name));
            return;
        }
        Optional<Role> role = name.isEmpty() ? Optional.empty() : users.verify(name, password.toCharArray());
        if (role.isEmpty()) {
            throttle.failed(name, ctx.ip());
            ctx.status(HttpStatus.UNAUTHORIZED)
                    .html(LoginView.page(anonymous.csrf(), Optional.of("Wrong name or password."), name));
            return;
        }
        throttle.succeeded(name);
        Sessions.Session session = sessions.signIn(Optional.of(anonymous.id()), name, role.get());
        setCookie(ctx, session.id());
        audit.append(name, "sign-in", null, "{}");
        ctx.redirect("/queue");
    }

    private void logout(Context ctx) {
        sessions.end(session(ctx).id());
        ctx.header("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        ctx.redirect("/login");
    }

    private Sessions.Session session(Context ctx) {
        return sessions.find(ctx.cookie(Sessions.COOKIE)).orElseThrow(() -> new ForbiddenResponse("no session"));
    }

    private static void setCookie(Context ctx, String id) {
        ctx.header("Set-Cookie", Sessions.COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- queues

    private void queuePage(Context ctx) {
        Sessions.Session session = session(ctx);
        QueueView.Filters filters = filters(ctx);
        Optional<Cursor> after = QueueView.blankToEmpty(ctx.queryParam("after")).map(ConsoleServer::cursor);
        QueuePage page = queues.page(query(filters, after));
        QueueCounts counts = queues.counts();
        ctx.html(Html.page(
                QueueView.name(filters.queue()),
                header(session, counts),
                QueueView.body(
                        filters,
                        counts,
                        queues.labels(),
                        page,
                        after.isEmpty(),
                        liveModel,
                        session.csrf(),
                        notice(ctx))));
    }

    private void queueRows(Context ctx) {
        QueueView.Filters filters = filters(ctx);
        ctx.html(QueueView.rows(filters, queues.page(query(filters, Optional.empty())), true, liveModel));
    }

    private String header(Sessions.Session session, QueueCounts counts) {
        return QueueView.header(
                session.user().orElseThrow(),
                session.role().orElseThrow().name().toLowerCase(Locale.ROOT),
                session.csrf(),
                counts,
                liveModel.version());
    }

    private static QueueView.Filters filters(Context ctx) {
        String queue = Optional.ofNullable(ctx.queryParam("queue")).orElse("pending");
        Queue q;
        try {
            q = Queue.valueOf(queue.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("no such queue: " + queue);
        }
        return new QueueView.Filters(
                q,
                param(ctx, "label"),
                param(ctx, "decision"),
                param(ctx, "model"),
                param(ctx, "language"),
                param(ctx, "source"),
                param(ctx, "maxAgeMinutes"));
    }

    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null ? "" : value.trim();
    }

    private QueueQuery query(QueueView.Filters f, Optional<Cursor> after) {
        QueueQuery.Builder b =
                QueueQuery.of(f.queue()).reviewThresholds(thresholds.review()).limit(config.pageSize());
        QueueView.blankToEmpty(f.label()).ifPresent(label -> {
            if (!queues.labels().contains(label)) {
                throw new BadRequest("no such label: " + label);
            }
            b.label(label);
        });
        QueueView.blankToEmpty(f.decision()).ifPresent(d -> {
            if (!List.of("ALLOW", "REVIEW", "BLOCK").contains(d)) {
                throw new BadRequest("decision must be ALLOW, REVIEW or BLOCK: " + d);
            }
            b.decision(d);
        });
        QueueView.blankToEmpty(f.modelVersion()).ifPresent(b::modelVersion);
        QueueView.blankToEmpty(f.language()).ifPresent(b::language);
        QueueView.blankToEmpty(f.source()).ifPresent(b::source);
        QueueView.blankToEmpty(f.maxAgeMinutes()).ifPresent(m -> {
            try {
                long minutes = Long.parseLong(m);
                if (minutes < 0) {
                    throw new NumberFormatException();
                }
                b.maxAge(Duration.ofMinutes(minutes));
            } catch (NumberFormatException e) {
                throw new BadRequest("max age must be a whole number of minutes: " + m);
            }
        });
        after.ifPresent(b::after);
        return b.build();
    }

    private static Cursor cursor(String token) {
        try {
            return Cursor.decode(token);
        } catch (ConsoleException e) {
            throw new BadRequest("malformed page link");
        }
    }

    // ---- items and verdicts

    private void next(Context ctx) {
        String user = session(ctx).user().orElseThrow();
        Optional<QueueItem> next = claims.nextUnclaimed(
                QueueQuery.of(Queue.PENDING)
                        .reviewThresholds(thresholds.review())
                        .build(),
                user,
                config.claimTtl());
        if (next.isPresent()) {
            ctx.redirect("/item/" + Html.url(next.get().id()));
        } else {
            ctx.redirect("/queue?empty=1");
        }
    }

    private void item(Context ctx) {
        Sessions.Session session = session(ctx);
        String user = session.user().orElseThrow();
        String id = ctx.pathParam("id");
        Optional<Events.Event> event = events.find(id);
        if (event.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND)
                    .html(Html.page(
                            "Not found", header(session, queues.counts()), "<p>No item " + Html.esc(id) + ".</p>"));
            return;
        }
        String body;
        if (claims.claim(id, user, config.claimTtl())) {
            Events.Event e = event.get();
            Map<String, Thresholds.Label> current = thresholds.forItem(e.encoderName(), e.language());
            Set<String> flagged = new TreeSet<>();
            for (String label : ItemView.labels(e, current)) {
                if (ItemView.flagged(e, label, current)) {
                    flagged.add(label);
                }
            }
            // an unscored item has no score to explain
            String why =
                    flagged.isEmpty() || e.text() == null || e.unscoredReason().isPresent()
                            ? ""
                            : explainer
                                    .explain(e.text(), e.modelVersion(), e.encoderName())
                                    .map(x -> WhyView.render(e.text(), x, flagged))
                                    .orElse("");
            body = ItemView.body(
                    e,
                    current,
                    new ItemView.History(events.scorings(id), events.verdicts(id), audit.forEvent(id)),
                    session.csrf(),
                    why,
                    liveModel.version(e.encoderName()));
        } else {
            ctx.status(HttpStatus.CONFLICT);
            body = ItemView.claimedByOther(id, claims.holder(id).orElse("another moderator"));
        }
        ctx.html(Html.page("Item " + id, header(session, queues.counts()), body));
    }

    private void verdict(Context ctx) {
        Sessions.Session session = session(ctx);
        String user = session.user().orElseThrow();
        String id = ctx.pathParam("id");
        Events.Event event = events.find(id).orElseThrow(() -> new BadRequest("no item " + id));
        if (!claims.claim(id, user, config.claimTtl())) {
            ctx.status(HttpStatus.CONFLICT)
                    .html(Html.page(
                            "Claimed",
                            header(session, queues.counts()),
                            ItemView.claimedByOther(id, claims.holder(id).orElse("another moderator"))));
            return;
        }
        String action = Optional.ofNullable(ctx.formParam("action")).orElse("submit");
        decide(user, event, action, label -> "true".equals(ctx.formParam("label_" + label)), ctx.formParam("note"));
        ctx.redirect("/next");
    }

    /**
     * One verdict on many items from the queue's selection, approve or remove: each item is claimed and
     * decided as if opened; items another moderator holds are skipped and counted.
     */
    private void bulk(Context ctx) {
        String user = session(ctx).user().orElseThrow();
        String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
        if (!action.equals("approve") && !action.equals("remove")) {
            throw new BadRequest("a bulk verdict is approve or remove: " + action);
        }
        int decided = 0;
        int skipped = 0;
        for (String id : ctx.formParams("id")) {
            Optional<Events.Event> event = events.find(id);
            if (event.isEmpty() || !claims.claim(id, user, config.claimTtl())) {
                skipped++;
                continue;
            }
            decide(user, event.get(), action, label -> false, null);
            decided++;
        }
        ctx.redirect("/queue?decided=" + decided + "&skipped=" + skipped);
    }

    private static Optional<String> notice(Context ctx) {
        String decided = ctx.queryParam("decided");
        if (decided == null || !decided.matches("\\d{1,6}")) {
            return Optional.empty();
        }
        String skipped = Optional.ofNullable(ctx.queryParam("skipped"))
                .filter(v -> v.matches("\\d{1,6}"))
                .orElse("0");
        return Optional.of("Decided " + decided + " item(s); skipped " + skipped + " held by others or gone.");
    }

    /**
     * Sends a verdict on an item this moderator has claimed, audits it and releases the claim. {@code
     * action}: approve (no label applies), remove (the flagged labels apply) or submit ({@code
     * submitted} says per label).
     */
    private void decide(String user, Events.Event event, String action, Predicate<String> submitted, String noteText) {
        Map<String, Thresholds.Label> current = thresholds.forItem(event.encoderName(), event.language());
        Map<String, Boolean> labels = new TreeMap<>();
        for (String label : ItemView.labels(event, current)) {
            labels.put(
                    label,
                    switch (action) {
                        case "approve" -> false;
                        case "remove" -> ItemView.flagged(event, label, current);
                        case "submit" -> submitted.test(label);
                        default -> throw new BadRequest("unknown action: " + action);
                    });
        }
        Optional<String> note = QueueView.blankToEmpty(noteText);
        sink.send(new VerdictSink.Verdict(event.id(), user, clock.instant(), labels, event.text(), note));
        audit.append(user, Audit.VERDICT, event.id(), auditDetail(action, labels, note));
        claims.release(event.id(), user);
    }

    private static String auditDetail(String action, Map<String, Boolean> labels, Optional<String> note) {
        StringBuilder s =
                new StringBuilder("{\"action\":").append(Json.string(action)).append(",\"labels\":{");
        String sep = "";
        for (Map.Entry<String, Boolean> l : labels.entrySet()) {
            s.append(sep).append(Json.string(l.getKey())).append(':').append(l.getValue());
            sep = ",";
        }
        s.append('}');
        note.ifPresent(n -> s.append(",\"note\":").append(Json.string(n)));
        return s.append('}').toString();
    }

    /** A request the console cannot serve as asked (unknown queue, malformed filter); answered with 400. */
    static final class BadRequest extends ConsoleException {
        BadRequest(String message) {
            super(message);
        }
    }
}
