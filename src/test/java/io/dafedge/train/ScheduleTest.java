package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The reference's 1200-epoch proportions, mapped onto a budget fraction. */
class ScheduleTest {
    private final Schedule s = Schedule.reference(1e-3f);

    @Test
    void warmsUpLinearlyFromOnePercentThenDecaysTwiceByAFifth() {
        assertEquals(1e-5f, s.at(0), 1e-9);
        double warmUp = 50.0 / 1200;
        assertEquals(1e-3 * (0.01 + 0.99 * 0.5), s.at(warmUp / 2), 1e-8);
        assertEquals(1e-3f, s.at(warmUp), 1e-9);
        assertEquals(1e-3f, s.at(649.9 / 1200), 1e-9);
        assertEquals(2e-4f, s.at(650.0 / 1200), 1e-9);
        assertEquals(2e-4f, s.at(949.9 / 1200), 1e-9);
        assertEquals(4e-5f, s.at(950.0 / 1200), 1e-9);
        assertEquals(4e-5f, s.at(1), 1e-9);
        assertEquals(4e-5f, s.at(7), 1e-9, "past the end: the last rate");
        assertEquals(1e-5f, s.at(-1), 1e-9, "before the start: the first rate");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.reference(0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(1e-3f, 1, new double[0], 0.2f));
    }
}
