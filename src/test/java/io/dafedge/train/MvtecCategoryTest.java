package io.dafedge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecCategoryTest {
    @TempDir
    Path root;

    private void touch(String relative) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }

    @Test
    void listsTrainAndTestWithMasks() throws Exception {
        touch("train/good/b.png");
        touch("train/good/a.png");
        touch("train/good/.hidden");
        touch("test/good/000.png");
        touch("test/crack/001.jpg");
        touch("ground_truth/crack/001_mask.png");
        assertEquals(List.of(root.resolve("train/good/a.png"), root.resolve("train/good/b.png")),
                MvtecCategory.trainImages(root));
        List<MvtecCategory.TestImage> test = MvtecCategory.testImages(root);
        assertEquals(2, test.size());
        assertEquals("crack/001.jpg", test.get(0).relative());
        assertTrue(test.get(0).defective());
        assertEquals(root.resolve("ground_truth/crack/001_mask.png"), test.get(0).mask());
        assertFalse(test.get(1).defective());
        assertNull(test.get(1).mask());
    }

    @Test
    void clearErrorsNamingWhatIsMissing() throws Exception {
        DatasetException e = assertThrows(DatasetException.class, () -> MvtecCategory.trainImages(root));
        assertTrue(e.getMessage().contains("train/good"), e.getMessage());
        Files.createDirectories(root.resolve("train/good"));
        e = assertThrows(DatasetException.class, () -> MvtecCategory.trainImages(root));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());

        touch("test/crack/001.png");
        touch("ground_truth/crack/other_mask.png");
        e = assertThrows(DatasetException.class, () -> MvtecCategory.testImages(root));
        assertTrue(e.getMessage().contains("001_mask.png"), e.getMessage());
    }

    @Test
    void aCategoryWithoutGroundTruthHasNoMasks() throws Exception {
        touch("test/good/1.png");
        touch("test/bad/2.png");
        assertFalse(MvtecCategory.hasMasks(root));
        assertTrue(MvtecCategory.testImages(root).stream().allMatch(t -> t.mask() == null));
    }
}
