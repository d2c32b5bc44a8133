package io.dafedge.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.dafedge.kernels.ConvShape;
import io.dafedge.prune.LayerScheme.Kind;
import org.junit.jupiter.api.Test;

/** The search spends the rule mapper's budget of removed weights where the timer says it saves time. */
class SearchMapperTest {
    private static final SearchMapper.Candidate PAYS = new SearchMapper.Candidate("pays",
            ConvShape.of(96, 96, 1), 32, 32);
    private static final SearchMapper.Candidate FLOOR = new SearchMapper.Candidate("floor",
            ConvShape.of(96, 96, 1), 32, 32);
    private static final SearchMapper.Candidate DEPTHWISE = new SearchMapper.Candidate("depthwise",
            ConvShape.depthwise(96, 3).withPadding(1), 32, 32);

    /** "pays" scales with the kept weights, "floor" saves nothing, the depthwise layer cannot be pruned. */
    private static double fakeMs(SearchMapper.Candidate c, LayerScheme s) {
        double kept = 1 - SearchMapper.expectedSparsity(s);
        return c == PAYS ? 1 + 9 * kept : 10;
    }

    @Test
    void theBudgetGoesWherePruningSavesTime() {
        List<SearchMapper.Choice> choices = SearchMapper.map(List.of(PAYS, FLOOR, DEPTHWISE), 0.5,
                SearchMapperTest::fakeMs);
        Map<String, SearchMapper.Choice> by = choices.stream().collect(Collectors.toMap(c -> c.scheme().parameter(),
                Function.identity()));
        // the rule mapper would remove half of each pointwise layer: 9216 weights; the search puts them all in "pays"
        assertEquals(0.85, by.get("pays").scheme().rate(), 1e-12, "highest rate within the budget");
        assertEquals(Kind.DENSE, by.get("floor").scheme().kind(), "no time to gain: left whole");
        assertEquals(Kind.DENSE, by.get("depthwise").scheme().kind());
        double removed = choices.stream().mapToDouble(c -> c.scheme().weights()
                * SearchMapper.expectedSparsity(c.scheme())).sum();
        assertTrue(removed <= 0.5 * 2 * 96 * 96 + 1e-9, "within the rule mapper's budget: " + removed);
        assertEquals(10, by.get("pays").denseMs(), 1e-12);
        assertEquals(1 + 9 * 0.15, by.get("pays").chosenMs(), 1e-9);
    }

    @Test
    void theKernelTimerMeasuresPrunedLayersFaster() {
        SearchMapper.Candidate big = new SearchMapper.Candidate("big", ConvShape.of(192, 96, 3).withPadding(1),
                32, 32);
        KernelTimer timer = new KernelTimer();
        double dense = timer.ms(big, RuleMapper.map("big", new int[] {96, 192, 3, 3}, 0));
        double pruned = timer.ms(big, RuleMapper.map("big", new int[] {96, 192, 3, 3}, 0.85));
        assertTrue(pruned < 0.6 * dense, "15 % of the rows kept: " + pruned + " ms against " + dense + " dense");
    }

    @Test
    void aTargetOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SearchMapper.map(List.of(PAYS), 1,
                SearchMapperTest::fakeMs));
    }
}
