package io.dafedge.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dafedge.inspect.ThresholdAdvice.Preview;
import io.dafedge.inspect.ThresholdAdvice.Reviewed;
import io.dafedge.inspect.ThresholdAdvice.Split;
import io.dafedge.inspect.ThresholdAdvice.Suggestion;

/** Previews and suggestions on a small reviewed set worked out by hand: good 1, 2, 3, 6; defective 4, 5, 8. */
class ThresholdAdviceTest {
    private static final List<Reviewed> FRAMES = List.of(good(1), good(2), good(3), good(6), bad(4), bad(5), bad(8));

    private static Reviewed good(double score) {
        return new Reviewed(score, false);
    }

    private static Reviewed bad(double score) {
        return new Reviewed(score, true);
    }

    @Test
    void loweringTheThresholdFlipsTheFramesBetweenTheTwoToNok() {
        // at 5: good 6 is a false alarm, defective 4 a miss; at 3.5: 4 turns NOK (caught), good 6 stays a false alarm
        assertEquals(new Preview(7, 4, 3, 1, 0, new Split(5, 1, 1), new Split(3.5, 1, 0)),
                ThresholdAdvice.preview(FRAMES, 5, 3.5));
    }

    @Test
    void raisingTheThresholdFlipsTheFramesBetweenTheTwoToOk() {
        // at 7 only 8 is NOK: 5 and 6 flip to OK; no false alarm left, but 4 and 5 are missed
        assertEquals(new Preview(7, 4, 3, 0, 2, new Split(5, 1, 1), new Split(7, 0, 2)),
                ThresholdAdvice.preview(FRAMES, 5, 7));
    }

    @Test
    void aScoreAtTheThresholdIsNok() {
        Preview p = ThresholdAdvice.preview(FRAMES, 4.5, 4);
        assertEquals(1, p.okToNok(), "score 4 at threshold 4 is NOK");
        assertEquals(new Split(4, 1, 0), p.proposed());
        assertEquals(0, ThresholdAdvice.preview(FRAMES, 5, 5).okToNok() + ThresholdAdvice.preview(FRAMES, 5, 5)
                .nokToOk(), "the same threshold flips nothing");
    }

    @Test
    void noReviewedFramesPreviewAsZeros() {
        assertEquals(new Preview(0, 0, 0, 0, 0, new Split(5, 0, 0), new Split(3, 0, 0)),
                ThresholdAdvice.preview(List.of(), 5, 3));
    }

    @Test
    void theSuggestionSeparatesWithTheBestBalancedAccuracy() {
        // candidates between neighbours: 3.5 catches all 3 defective and flags 1 of 4 good (0.75); 7 catches 1 of 3
        // and flags none (0.33); 2.5 flags 2 of 4 (0.5); 4.5 catches 2 of 3 and flags 1 (0.42)
        assertEquals(new Suggestion(3.5f, 4, 3, 1.0, 0.25), ThresholdAdvice.suggest(FRAMES));
    }

    @Test
    void aCleanSplitIsSuggestedHalfwayBetweenTheHighestGoodAndTheLowestDefect() {
        Suggestion s = ThresholdAdvice.suggest(List.of(good(1), good(2), bad(4), bad(9)));
        assertEquals(3f, s.threshold());
        assertEquals(1.0, s.caught());
        assertEquals(0.0, s.falseAlarmRate());
    }

    @Test
    void noSuggestionFromGoodFramesAloneNorFromDefectsAlone() {
        List<Reviewed> goods = new ArrayList<>(List.of(good(1), good(2), good(3)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ThresholdAdvice.suggest(goods));
        assertTrue(e.getMessage().contains("include 0 defective and 3 good ones"), e.getMessage());
        assertTrue(e.getMessage().contains("from good frames alone it floods the line with false alarms"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ThresholdAdvice.suggest(List.of(bad(4))));
        assertTrue(e.getMessage().contains("include 1 defective and 0 good ones"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ThresholdAdvice.suggest(List.of()));
    }
}
