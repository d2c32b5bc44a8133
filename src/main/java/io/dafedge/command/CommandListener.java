package io.dafedge.command;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.publish.ResultMessages;
import io.dafedge.publish.Topics;

/**
 * Takes command messages from the MQTT connection's thread, which must never wait (it also delivers every other
 * message and acknowledgement), into a bounded queue, runs them one at a time on their own thread, and publishes
 * every ack. A command that finds the queue full is refused at once with that reason. Every command is logged with
 * its outcome (never its token) and counted.
 */
public final class CommandListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommandListener.class);
    /** Commands waiting while one runs (a model switch takes seconds). */
    static final int QUEUE = 16;

    private final Topics topics;
    private final Commands commands;
    private final BiConsumer<String, byte[]> acks;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** @param acks publishes an ack payload on a topic (QoS 1, not retained) */
    public CommandListener(Topics topics, Commands commands, BiConsumer<String, byte[]> acks, Clock clock) {
        this.topics = topics;
        this.commands = commands;
        this.acks = acks;
        this.clock = clock;
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "mqtt-commands");
            t.setDaemon(true);
            return t;
        });
    }

    /** A message on the command subscription ({@link Topics#commands()}); returns at once. */
    public void message(String topic, byte[] payload) {
        String line = topics.commandLine(topic);
        if (line == null) {
            LOG.warnf("MQTT message on %s ignored: not a command topic", topic);
            return;
        }
        try {
            executor.execute(() -> answer(line, run(line, payload)));
        } catch (RejectedExecutionException e) {
            String reason = executor.isShutdown() ? "the appliance is stopping"
                    : "busy: " + QUEUE + " commands are waiting; send it again later";
            ObjectNode o = readable(payload);
            answer(line, Ack.rejected(line, CommandParser.id(o), CommandParser.name(o), reason));
        }
    }

    /** The payload as JSON when it is readable, for the id of a command refused before its turn; else null. */
    private static ObjectNode readable(byte[] payload) {
        try {
            return CommandParser.read(payload);
        } catch (CommandRejected e) {
            return null;
        }
    }

    private Ack run(String line, byte[] payload) {
        try {
            return commands.handle(line, payload);
        } catch (RuntimeException e) {
            // a fault of the appliance, not of the command: the ack says so, the log has the trace
            LOG.errorf(e, "line %s: command failed", line);
            return Ack.rejected(line, null, null, "failed: " + e.getMessage());
        }
    }

    private void answer(String line, Ack ack) {
        String shown = CommandParser.abbreviated(line); // the topic's line is anyone's text until it is found known
        if (ack.accepted()) {
            accepted.incrementAndGet();
            LOG.infof("line %s: %s accepted: %s", shown, named(ack), ack.details());
        } else {
            rejected.incrementAndGet();
            LOG.warnf("line %s: %s rejected: %s", shown, named(ack), ack.reason());
        }
        acks.accept(topics.commandAck(line), ResultMessages.bytes(ack.json(clock.instant())));
    }

    private static String named(Ack ack) {
        return (ack.command() == null ? "command" : ack.command()) + " " + (ack.id() == null ? "without usable id"
                : "'" + ack.id() + "'");
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Refuses new commands, lets the one running finish (a model load) for a while. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
