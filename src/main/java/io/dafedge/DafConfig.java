package io.dafedge;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The appliance's own settings ({@code daf.*}); the site's values live in config/application.properties. */
@ConfigMapping(prefix = "daf")
public interface DafConfig {
    /** Everything the appliance writes goes below this folder. */
    @WithDefault("./data")
    Path dataDir();

    /** Free space on the data folder's disk below which the appliance reports itself not ready. */
    @WithDefault("512")
    long minFreeDiskMb();

    /** The site's name in MQTT topics. */
    @WithDefault("site")
    String site();

    /** The teacher backbone (ONNX) new models are built on; without it, lines without a model keep collecting. */
    Optional<Path> teacher();

    /** Cameras by id; with none configured, camera "demo" on line "demo" is fed by the synthetic demo line. */
    Map<String, Camera> cameras();

    /** Per-line settings by line id; lines named by cameras need no entry. */
    Map<String, Line> lines();

    Mqtt mqtt();

    Store store();

    Ingest ingest();

    Security security();

    Training training();

    interface Security {
        /**
         * The administrator's password at a start with no users (an engineer named admin); read only then. Without
         * it, the web UI's setup page asks for one.
         */
        Optional<String> bootstrapAdminPassword();
    }

    /** On-site training runs (the Training page, /api/v1/training): they share the box with inspection. */
    interface Training {
        /**
         * Threads a run may use, for PyTorch, ONNX Runtime and the compiled kernels alike; the run's thread also runs
         * at nice 19. 1 on a 2-core box leaves a core to inspection (measured with bench pipeline --during-training).
         */
        @WithDefault("1")
        int threads();

        /** The longest time budget a run may be given, in minutes (the shortest is 1). */
        @WithDefault("240")
        int maxMinutes();

        /**
         * Collected frames a line needs before a run may start; at least 20: 4 or more are held out to choose the
         * new model's threshold, and the rest must fill more than one batch of 8.
         */
        @WithDefault("20")
        int minImages();

        /** The input side of models trained on site. */
        @WithDefault("256")
        int size();
    }

    interface Camera {
        @WithDefault("default")
        String line();

        /** http, folder:DIR, mjpeg:URL, ffmpeg:URL-or-file, v4l2:DEVICE or demo. */
        @WithDefault("http")
        String source();

        /** x,y,width,height in frame pixels. */
        Optional<String> roi();

        /** Clockwise degrees after the ROI crop: 0, 90, 180, 270. */
        @WithDefault("0")
        int rotation();

        /** Frames per second a streaming source delivers at most; 0 = no cap. */
        @WithDefault("0")
        double maxFps();

        /** Frames waiting for inspection before the oldest is dropped. */
        @WithDefault("8")
        int queue();
    }

    interface Line {
        /** A model bundle folder; overrides the model the appliance chose for the line. */
        Optional<Path> model();

        /** Image scores at or above it are NOK; overrides the line's stored threshold. */
        OptionalDouble threshold();
    }

    interface Mqtt {
        /** An external broker (tcp://host:1883, ssl://...); none = the embedded broker. */
        Optional<String> broker();

        @WithDefault("1883")
        int embeddedPort();

        /** Loopback by default: the embedded broker has no authentication. */
        @WithDefault("127.0.0.1")
        String embeddedHost();

        /** Defaults to daf-edge-SITE. */
        Optional<String> clientId();

        Optional<String> username();

        Optional<String> password();

        /** Whether the heat-map PNG is published besides the result. */
        @WithDefault("true")
        boolean heatmaps();

        /**
         * Whether OK results carry a heat map too; false spares each OK frame the overlay's drawing and PNG encoding
         * (about 2 ms), unless OK pictures are stored (daf.store.ok-images).
         */
        @WithDefault("true")
        boolean okHeatmaps();

        /** TLS towards an ssl:// broker. */
        Tls tls();

        Commands commands();

        Outbox outbox();

        /** The payloads: json (daf-edge's topics, docs/mqtt.md) or sparkplug (Sparkplug B). */
        @WithDefault("json")
        Payload payload();

        Sparkplug sparkplug();
    }

    enum Payload {
        JSON, SPARKPLUG
    }

    /** Sparkplug B ids and the QoS of results (docs/mqtt.md, "Sparkplug B"). */
    interface Sparkplug {
        @WithDefault("daf-edge")
        String group();

        /** The edge node id; defaults to the site. */
        Optional<String> node();

        /** 1 keeps results in the outbox until acknowledged; 0 is what Sparkplug asks of data messages. */
        @WithDefault("1")
        int dataQos();
    }

    /** Used with ssl:// broker URLs only; passwords may come from the environment (DAF_MQTT_TLS_..._PASSWORD). */
    interface Tls {
        /** The broker's CA: a PEM file, or a PKCS12/JKS store; none = the JVM's default CAs. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** The appliance's own key and certificate for brokers that require one, as a PKCS12/JKS store... */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();

        /** ...or as a PEM certificate (chain) and an unencrypted PEM key (PKCS#8 or PKCS#1 RSA). */
        Optional<Path> certificate();

        Optional<Path> key();

        /** Off only for brokers whose certificate does not name the address they are reached by (logged). */
        @WithDefault("true")
        boolean verifyHostname();
    }

    /** Commands from the MES on daf-edge/SITE/LINE/cmd (docs/mqtt.md). */
    interface Commands {
        /** Off unless the site turns it on: a command changes what the appliance judges. */
        @WithDefault("false")
        boolean enabled();

        /** The shared secret every command must carry when set; never logged. */
        Optional<String> token();

        /** The commands carried out; others are rejected. */
        @WithDefault("set-part-id,reinspect,switch-model,set-threshold")
        List<String> allowed();
    }

    /** Results wait on disk (under the data folder's outbox/) until the broker has acknowledged them. */
    interface Outbox {
        /** The most the outbox may take on disk; when full, heat maps and OK results go before NOK results. */
        @WithDefault("512")
        long maxMb();
    }

    interface Store {
        /** Keep thumbnails and heat maps of OK inspections too (NOK ones are always kept). */
        @WithDefault("false")
        boolean okImages();

        /**
         * Without okImages, keep the pictures of every n-th OK (or not yet judged) frame all the same (0: none): the
         * good frames operators review and choose as training material.
         */
        @WithDefault("50")
        int okSampleEvery();

        /** Inspections whose pictures are kept; older pictures are deleted, their records stay. */
        @WithDefault("5000")
        int maxImages();

        /** Inspection records older than this are deleted. */
        @WithDefault("90")
        int retentionDays();
    }

    interface Ingest {
        /** Largest accepted upload. */
        @WithDefault("32")
        int maxUploadMb();
    }
}
