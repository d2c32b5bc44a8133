package io.dafedge.synth.demo;

/** The defect kinds the demo line can put on a part; the CLI name is also the MVTec AD test folder name. */
public enum DemoDefect {
    /** Thin curved anti-aliased hairline, brighter or darker than the surface. */
    SCRATCH("scratch", new Scratch()),
    /** Small crater shaded by the lamp: shadow on one wall, highlight on the other. */
    DENT("dent", new Dent()),
    /** Soft, low-contrast rust or oil blot with a ragged outline. */
    STAIN("stain", new Stain()),
    /** Jagged, branching dark line. */
    CRACK("crack", new Crack());

    private final String cliName;
    private final DefectPainter painter;

    DemoDefect(String cliName, DefectPainter painter) {
        this.cliName = cliName;
        this.painter = painter;
    }

    public String cliName() {
        return cliName;
    }

    DefectPainter painter() {
        return painter;
    }

    /** The defect with this CLI name, or an IllegalArgumentException listing the valid names. */
    public static DemoDefect fromCliName(String name) {
        return CliNames.lookup(values(), DemoDefect::cliName, name, "demo defect");
    }
}
