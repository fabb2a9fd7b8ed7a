package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.schemas.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamguard topics [list|create|describe]}; no subcommand means {@code list}. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "List (default), create or describe the StreamGuard topics.",
        subcommands = {
            TopicsCommand.ListTopics.class,
            TopicsCommand.CreateTopics.class,
            TopicsCommand.DescribeTopics.class
        })
public final class TopicsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ListTopics list = new ListTopics();
        list.bootstrap = bootstrap;
        list.spec = spec;
        return list.call();
    }

    /**
     * {@code --bootstrap} may be given before the subcommand ({@code topics -b H list}) or after it
     * ({@code topics list -b H}); the later one wins, otherwise the default applies.
     */
    static String bootstrap(CommandSpec sub, ClientOptions.Bootstrap own) {
        if (sub.commandLine().getParseResult() != null
                && sub.commandLine().getParseResult().hasMatchedOption("--bootstrap")) {
            return own.bootstrap;
        }
        Object parent = sub.parent() == null ? null : sub.parent().userObject();
        return parent instanceof TopicsCommand topics ? topics.bootstrap.bootstrap : own.bootstrap;
    }

    /**
     * The standard topics (or, with --all, every non-internal topic) with partitions and config.
     */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Show the StreamGuard topics: partitions, replication and non-default config; '(missing)' if absent.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        ClientOptions.Bootstrap bootstrap;

        @Spec
        CommandSpec spec;

        @Option(names = "--all", description = "Also list non-StreamGuard topics (internal ones excepted).")
        boolean all;

        @Override
        public Integer call() {
            String broker = bootstrap(spec, bootstrap);
            try (Admin admin = KafkaClients.admin(broker)) {
                Set<String> names = new LinkedHashSet<>(StreamGuardTopics.standardNames());
                if (all) {
                    names.addAll(await(admin.listTopics().names(), broker).stream()
                            .sorted()
                            .toList());
                }
                Map<String, StreamGuardTopics.Info> found = StreamGuardTopics.describe(admin, names).stream()
                        .collect(Collectors.toMap(StreamGuardTopics.Info::name, Function.identity()));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"TOPIC", "PARTITIONS", "RF", "CONFIG"});
                for (String name : names) {
                    StreamGuardTopics.Info info = found.get(name);
                    rows.add(
                            info == null
                                    ? new String[] {name, "-", "-", "(missing)"}
                                    : new String[] {
                                        name,
                                        String.valueOf(info.partitions()),
                                        String.valueOf(info.replicationFactor()),
                                        // sorted: the admin client's map order varies between calls
                                        info.nonDefaultConfigs().entrySet().stream()
                                                .sorted(Map.Entry.comparingByKey())
                                                .map(e -> e.getKey() + "=" + e.getValue())
                                                .collect(Collectors.joining(","))
                                    });
                }
                printTable(spec.commandLine().getOut(), rows);
            }
            return 0;
        }
    }

    /** Idempotent: creates what is missing, reports what already existed. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create the standard StreamGuard topics that do not exist yet.")
    static final class CreateTopics implements Callable<Integer> {
        @Mixin
        ClientOptions.Bootstrap bootstrap;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "" + StreamGuardTopics.DEFAULT_PARTITIONS,
                description = "Partitions per new topic; default: ${DEFAULT-VALUE}.")
        int partitions;

        @Override
        public Integer call() {
            if (partitions < 1) {
                throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, was " + partitions);
            }
            try (Admin admin = KafkaClients.admin(bootstrap(spec, bootstrap))) {
                List<String> created = StreamGuardTopics.ensure(admin, partitions);
                PrintWriter out = spec.commandLine().getOut();
                for (Topics.TopicSpec topic : StreamGuardTopics.standard()) {
                    out.println((created.contains(topic.name()) ? "created  " : "exists   ") + topic.name());
                }
                out.flush();
            }
            return 0;
        }
    }

    /** Per-partition leader, replicas, ISR and offset range. */
    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description =
                    "Partition details (leader, replicas, in-sync replicas, offsets) of the given or the standard topics.")
    static final class DescribeTopics implements Callable<Integer> {
        @Mixin
        ClientOptions.Bootstrap bootstrap;

        @Spec
        CommandSpec spec;

        @Parameters(
                paramLabel = "TOPIC",
                arity = "0..*",
                description = "Topics to describe; default: the standard set.")
        List<String> topics = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> names = topics.isEmpty() ? List.copyOf(StreamGuardTopics.standardNames()) : topics;
            PrintWriter out = spec.commandLine().getOut();
            String broker = bootstrap(spec, bootstrap);
            try (Admin admin = KafkaClients.admin(broker)) {
                Map<String, StreamGuardTopics.Info> infos = StreamGuardTopics.describe(admin, names).stream()
                        .collect(Collectors.toMap(StreamGuardTopics.Info::name, Function.identity()));
                List<String> missing =
                        names.stream().filter(n -> !infos.containsKey(n)).toList();
                if (!topics.isEmpty() && !missing.isEmpty()) {
                    throw new LauncherException("no such topic: " + String.join(", ", missing));
                }
                List<String> present = names.stream().filter(infos::containsKey).toList();
                Map<String, TopicDescription> descriptions = present.isEmpty()
                        ? Map.of()
                        : await(admin.describeTopics(present).allTopicNames(), broker);
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                descriptions.values().forEach(d -> d.partitions().forEach(p -> {
                    earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
                    latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                }));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = earliest.isEmpty()
                        ? Map.of()
                        : await(admin.listOffsets(earliest).all(), broker);
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty()
                        ? Map.of()
                        : await(admin.listOffsets(latest).all(), broker);

                for (String name : names) {
                    StreamGuardTopics.Info info = infos.get(name);
                    if (info == null) {
                        out.println(name + "  (missing)");
                        continue;
                    }
                    out.println(name
                            + "  partitions="
                            + info.partitions()
                            + " rf="
                            + info.replicationFactor()
                            + (info.nonDefaultConfigs().isEmpty() ? "" : " config=" + info.nonDefaultConfigs()));
                    for (TopicPartitionInfo p : descriptions.get(name).partitions()) {
                        TopicPartition tp = new TopicPartition(name, p.partition());
                        out.printf(
                                "  partition %d  leader=%s replicas=%s isr=%s offsets=%d..%d%n",
                                p.partition(),
                                p.leader() == null ? "none" : p.leader().idString(),
                                ids(p.replicas()),
                                ids(p.isr()),
                                starts.get(tp).offset(),
                                ends.get(tp).offset());
                    }
                }
                out.flush();
            }
            return 0;
        }

        private static String ids(List<Node> nodes) {
            return nodes.stream().map(Node::idString).collect(Collectors.joining(",", "[", "]"));
        }
    }

    static <T> T await(KafkaFuture<T> future, String bootstrap) {
        try {
            return future.get(KafkaClients.API_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /** Left-aligned columns, two spaces apart; the last column is not padded. */
    static void printTable(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i < columns - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
