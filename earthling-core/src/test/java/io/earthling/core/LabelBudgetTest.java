package io.earthling.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelBudgetTest {
    @Test
    void theFirstValuesKeepTheirNamesAndTheRestAreOther() {
        LabelBudget b = new LabelBudget(2);
        assertThat(b.label("default")).isEqualTo("default");
        assertThat(b.label("mail")).isEqualTo("mail");
        assertThat(b.label("x1")).isEqualTo(LabelBudget.OTHER);
        assertThat(b.label("x2")).isEqualTo(LabelBudget.OTHER);
        assertThat(b.label("default")).as("admitted stays admitted").isEqualTo("default");
    }
}
