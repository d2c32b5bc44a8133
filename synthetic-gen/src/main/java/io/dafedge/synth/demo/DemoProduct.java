package io.dafedge.synth.demo;

/** The products the demo line can make; each has a fixed look that varies only naturally from part to part. */
public enum DemoProduct {
    /** Brushed stainless sheet: fine anisotropic streaks, a lamp reflection band. */
    BRUSHED_METAL("brushed-metal", new BrushedMetal()),
    /** Planed wooden board: warped growth rings and pores along the grain. */
    WOOD("wood", new Wood()),
    /** Turned steel flange with a bore and six bolt holes on a dark conveyor belt. */
    FLANGE("flange", new Flange());

    private final String cliName;
    private final ProductRenderer renderer;

    DemoProduct(String cliName, ProductRenderer renderer) {
        this.cliName = cliName;
        this.renderer = renderer;
    }

    public String cliName() {
        return cliName;
    }

    ProductRenderer renderer() {
        return renderer;
    }

    /** The product with this CLI name, or an IllegalArgumentException listing the valid names. */
    public static DemoProduct fromCliName(String name) {
        return CliNames.lookup(values(), DemoProduct::cliName, name, "demo product");
    }
}
