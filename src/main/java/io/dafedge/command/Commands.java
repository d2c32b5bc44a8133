package io.dafedge.command;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dafedge.ingest.Frame;
import io.dafedge.inspect.Appliance;
import io.dafedge.inspect.InspectionResult;
import io.dafedge.inspect.LineModel;
import io.dafedge.inspect.LineSetup;
import io.dafedge.model.ModelBundle;
import io.dafedge.model.ModelCatalog;
import io.dafedge.model.ModelException;
import io.dafedge.model.ScoreRange;

/**
 * Judges one command for one line and carries it out: parsed and bounded, authorised (before anything about the
 * appliance is revealed), allowed, addressed to a known line and camera, valid for the line's model; only then does
 * anything change. Every refusal is an {@link Ack} with the reason, and leaves the appliance as it was. Runs the
 * commands one at a time on the caller's thread; a model switch returns once the new model inspects or has failed.
 */
public final class Commands {
    private static final int KNOWN_MODELS_LISTED = 10;

    private final CommandPolicy policy;
    private final Appliance appliance;
    private final LineSetup setup;
    private final ModelCatalog catalog;

    public Commands(CommandPolicy policy, Appliance appliance, LineSetup setup, ModelCatalog catalog) {
        this.policy = policy;
        this.appliance = appliance;
        this.setup = setup;
        this.catalog = catalog;
    }

    /** @param line the line named by the command's topic */
    public synchronized Ack handle(String line, byte[] payload) {
        ObjectNode o = null;
        try {
            o = CommandParser.read(payload);
            if (!policy.authorised(CommandParser.token(o))) {
                throw new CommandRejected("unauthorised: the token is missing or wrong");
            }
            Command c = CommandParser.command(o);
            if (!policy.allows(c.type())) {
                throw new CommandRejected(c.type().wire() + " is not allowed on this appliance (allowed: "
                        + policy.allowed().stream().map(CommandType::wire).sorted().toList() + ")");
            }
            if (!appliance.lines().contains(line)) {
                throw new CommandRejected("unknown line '" + CommandParser.abbreviated(line) + "' (lines: "
                        + appliance.lines() + ")");
            }
            return Ack.accepted(line, c, switch (c.type()) {
                case SET_PART_ID -> setPartId(line, c);
                case REINSPECT -> reinspect(line, c);
                case SWITCH_MODEL -> switchModel(line, c);
                case SET_THRESHOLD -> setThreshold(line, c);
            });
        } catch (CommandRejected e) {
            return Ack.rejected(line, CommandParser.id(o), CommandParser.name(o), e.getMessage());
        }
    }

    private ObjectNode setPartId(String line, Command c) throws CommandRejected {
        Appliance.Camera camera = camera(line, c.camera());
        String replaced = camera.queue().nextPartId(c.partId());
        ObjectNode d = Ack.emptyDetails().put("camera", camera.settings().id()).put("partId", c.partId());
        return replaced == null ? d : d.put("replacedPartId", replaced);
    }

    private ObjectNode reinspect(String line, Command c) throws CommandRejected {
        Appliance.Camera camera = camera(line, c.camera());
        Frame latest = camera.worker().latestFrame();
        if (latest == null) {
            throw new CommandRejected("camera " + camera.settings().id() + " has no inspected frame yet");
        }
        if (appliance.models().current(line).isEmpty()) {
            throw new CommandRejected("line " + line + " has no model: the frame would be UNKNOWN again");
        }
        String[] failure = {null};
        InspectionResult r = camera.worker().handle(latest.reinspection((status, reason) -> failure[0] = reason));
        if (r == null) {
            throw new CommandRejected("the reinspection failed: " + failure[0]);
        }
        return Ack.emptyDetails().put("camera", camera.settings().id()).put("resultId", r.resultId().toString())
                .put("reinspectionOf", latest.resultId().toString()).put("verdict", r.verdict().name());
    }

    private ObjectNode switchModel(String line, Command c) throws CommandRejected {
        List<ModelBundle> known = catalog.list();
        ModelBundle bundle = known.stream().filter(b -> b.id().equals(c.model())).findFirst()
                .orElseThrow(() -> new CommandRejected("no known model '" + CommandParser.abbreviated(c.model())
                        + "' (known: " + known.stream().limit(KNOWN_MODELS_LISTED).map(ModelBundle::id).toList()
                        + (known.size() > KNOWN_MODELS_LISTED ? " and " + (known.size() - KNOWN_MODELS_LISTED)
                                + " more" : "") + ")"));
        float threshold = threshold(c.threshold(), bundle);
        String before = appliance.models().current(line).map(LineModel::modelId).orElse("none");
        LineModel m;
        try {
            m = setup.switchModel(line, bundle, threshold);
        } catch (ModelException | RuntimeException e) {
            throw new CommandRejected("model " + bundle.id() + " could not be made active (" + e.getMessage()
                    + "); the line keeps model " + before);
        }
        return model(m);
    }

    private ObjectNode setThreshold(String line, Command c) throws CommandRejected {
        Optional<ModelBundle> bundle = setup.activeBundle(line);
        if (bundle.isEmpty()) {
            throw new CommandRejected("line " + line + " has no model to set a threshold for");
        }
        float threshold = threshold(c.threshold(), bundle.get());
        try {
            return model(setup.setThreshold(line, threshold));
        } catch (RuntimeException e) {
            throw new CommandRejected("threshold not changed: " + e.getMessage());
        }
    }

    /** The threshold as the line will hold it (a float), checked against the range of the model's scores. */
    private static float threshold(double requested, ModelBundle bundle) throws CommandRejected {
        try {
            return ScoreRange.threshold(requested, bundle.method());
        } catch (IllegalArgumentException e) {
            throw new CommandRejected(e.getMessage());
        }
    }

    private static ObjectNode model(LineModel m) {
        return Ack.emptyDetails().put("modelId", m.modelId()).put("modelVersion", m.modelVersion())
                .put("threshold", m.threshold());
    }

    /** The camera named, or the line's only camera when none is named. */
    private Appliance.Camera camera(String line, String id) throws CommandRejected {
        List<Appliance.Camera> onLine = appliance.cameras().stream().filter(c -> c.settings().line().equals(line))
                .toList();
        List<String> ids = onLine.stream().map(c -> c.settings().id()).toList();
        if (id == null) {
            if (onLine.size() != 1) {
                throw new CommandRejected("line " + line + " has cameras " + ids + ": name one in 'camera'");
            }
            return onLine.get(0);
        }
        return onLine.stream().filter(c -> c.settings().id().equals(id)).findFirst().orElseThrow(
                () -> new CommandRejected("no camera '" + CommandParser.abbreviated(id) + "' on line " + line
                        + " (cameras: " + ids + ")"));
    }
}
