package io.dafedge.publish;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.dafedge.inspect.Verdict;

/**
 * The publishing side of {@link OutboxBrokerRestartTest} as its own process, so the test can kill it without a
 * clean close: an MqttPublisher and an Outbox on a data folder, fed with results {@code from..to-1} at a steady
 * rate, results taking turns over the cameras. Reports on stdout, for the test to follow: {@code written N} (entries
 * durable on disk since this process started) and {@code pending N}, whenever they change.
 * <p>
 * Arguments: data folder, broker URL, first result, end (exclusive), cameras, results per second.
 */
public final class OutboxProducer {
    static final String SITE = "t";

    private OutboxProducer() {
    }

    /** The id of result {@code i}: the same in every process, so a second producer can repeat what the first did. */
    static String resultId(int i) {
        return UUID.nameUUIDFromBytes(("result-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String camera(int i, int cameras) {
        return "cam" + (i % cameras);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String url = args[1];
        int from = Integer.parseInt(args[2]);
        int to = Integer.parseInt(args[3]);
        int cameras = Integer.parseInt(args[4]);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Integer.parseInt(args[5]);
        Topics topics = new Topics(SITE);
        MqttPublisher mqtt = new MqttPublisher(new MqttPublisher.Connection(url, "daf-edge-" + SITE, null, null),
                topics.status(), ResultMessages.bytes(StatusMessages.offline(SITE)));
        Outbox outbox = new Outbox(dir, 64L << 20, mqtt, MessageEncoding.json(topics));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            outbox.close();
            mqtt.close();
        }));
        Thread report = new Thread(() -> report(outbox), "report");
        report.setDaemon(true);
        report.start();
        long next = System.nanoTime();
        for (int i = from; i < to; i++) {
            String camera = camera(i, cameras);
            String json = "{\"resultId\":\"" + resultId(i) + "\",\"camera\":\"" + camera + "\",\"n\":" + i + "}";
            // every third result with a heat map, so entries of two messages are resent too
            byte[] heatmap = i % 3 == 0 ? new byte[2048] : null;
            outbox.offer(new OutboxEntry(camera, "line", i % 5 == 0 ? Verdict.NOK : Verdict.OK, resultId(i),
                    json.getBytes(StandardCharsets.UTF_8), heatmap));
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        Thread.sleep(Long.MAX_VALUE); // delivering until the test ends the process
    }

    private static void report(Outbox outbox) {
        long written = -1;
        long pending = -1;
        while (true) {
            long w = outbox.written();
            long p = outbox.pending();
            if (w != written || p != pending) {
                written = w;
                pending = p;
                System.out.println("written " + w + " pending " + p);
                System.out.flush();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
