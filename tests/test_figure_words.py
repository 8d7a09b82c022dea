from assistant.compare import counts, figure_relation
from assistant.figure_words import spelled_figures


def test_spelled_figures_with_a_scale_or_fraction_are_written_as_digits():
    assert spelled_figures("Local businesses lost one and a half million crowns") == "Local businesses lost 1,500,000 crowns"
    assert spelled_figures("nine hundred people died") == "900 people died"
    assert spelled_figures("half a million crowns") == "500,000 crowns"
    assert spelled_figures("a quarter of a million marched") == "250,000 marched"
    assert spelled_figures("A dozen people were hurt") == "12 people were hurt"
    assert spelled_figures("two hundred and fifty people") == "250 people"
    assert spelled_figures("twenty five thousand marchers") == "25,000 marchers"


def test_lone_words_digits_and_two_figures_are_left_as_written():
    for text in ("Nine passengers drowned", "lost about 1.5 million crowns", "between two and three thousand people",
                 "an hour and a half", "half of the workers", "one or two", "one of the ships"):
        assert spelled_figures(text) == text


def test_one_figure_written_two_ways_is_the_same_figure():
    a = counts("Shops lost about 1.5 million crowns in trade during the blackout")
    b = counts("Local businesses lost one and a half million crowns")
    assert [c.value for c in b] == [1_500_000]
    assert figure_relation(a, b)[0] == "same"
    assert [c.value for c in counts("nine hundred people died")] == [900]
