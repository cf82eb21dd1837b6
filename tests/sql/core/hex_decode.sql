-- hex_decode(): the examples of docs/hex_decode.md, NULLs and every error.
select hex_decode('2F746D70'), hex_decode('6C73002D6C61', ' ');
select hex_decode('2f746d70') = '/tmp';
select quote(hex_decode(NULL)), quote(hex_decode('41', NULL)), quote(hex_decode(''));
select length(hex_decode('6C73002D6C61')), hex(hex_decode('6C73002D6C61'));
select hex_decode('69707461626C6573202D2D76657273696F6E');
select hex_decode('ABC');
select hex_decode('41G2');
select hex_decode('41 42');
select hex_decode(char(9) || '1');
select hex_decode(printf('%.100c', 'A') || 'Z');
select hex_decode(x'3431');
select hex_decode(4142);
