assert is_even(4) == True
assert is_even(7) == False
assert is_even(0) == True
