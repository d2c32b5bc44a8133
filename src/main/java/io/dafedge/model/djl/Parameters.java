package io.dafedge.model.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** The one way this project makes a DJL parameter: named, filled with given values, trainable or frozen. */
public final class Parameters {
    private Parameters() {
    }

    public static Parameter create(String name, Parameter.Type type, float[] values, Shape shape, boolean trainable,
                                   NDManager manager) {
        Parameter p = Parameter.builder().setName(name).setType(type).optRequiresGrad(trainable).build();
        p.setArray(manager.create(values, shape));
        p.freeze(!trainable);
        return p;
    }
}
