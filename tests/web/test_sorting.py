from millennium.web.sorting import swedish_sort_key


def test_swedish_alphabetical_order():
    names = ["Örebro", "Älmhult", "Åre", "Zinkgruvan", "Ängelholm", "Eda", "Ékeby", "Falun"]
    assert sorted(names, key=swedish_sort_key) == [
        "Eda", "Ékeby", "Falun", "Zinkgruvan", "Åre", "Älmhult", "Ängelholm", "Örebro"]
