package io.dafedge.ui;

import io.dafedge.api.Engineering;
import io.dafedge.ingest.CameraSettings;
import io.dafedge.inspect.CameraRois;
import io.dafedge.inspect.ModelPromotions;
import io.dafedge.model.ModelSummary;
import io.quarkus.qute.TemplateData;

/**
 * The values the models and settings pages show, made readable to Qute (declared once here: a type may have only
 * one such declaration in the application).
 */
@TemplateData(target = Engineering.Model.class)
@TemplateData(target = Engineering.ActiveModel.class)
@TemplateData(target = ModelSummary.class)
@TemplateData(target = ModelSummary.Pruning.class)
@TemplateData(target = ModelPromotions.Promotion.class)
@TemplateData(target = CameraRois.State.class)
@TemplateData(target = CameraSettings.Roi.class)
final class EngineeringTemplates {
    private EngineeringTemplates() {
    }
}
