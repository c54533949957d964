/* A bytecode interpreter loop: a dense switch compiles to a jump table (JR through a loaded address). */
static const unsigned char code[] = { 1, 5, 2, 3, 7, 4, 1, 9, 6, 2, 8, 0, 3, 3, 5, 7, 1, 4, 2, 6, 9, 8 };

unsigned int main(void)
{
    unsigned int a = 1, b = 2, c = 3;
    for (int round = 0; round < 3000; round++) {
        unsigned char op = code[round % sizeof code];
        switch (op) {
        case 0: a += b; break;
        case 1: b ^= a << 3; break;
        case 2: c = c * 5 + a; break;
        case 3: a = (a >> 1) | (b << 31); break;
        case 4: b -= c; break;
        case 5: c ^= 0xdeadbeef; break;
        case 6: a += c * 7; break;
        case 7: b = ~b; break;
        case 8: c += a ^ b; break;
        default: a ^= b ^ c; break;
        }
    }
    return a ^ (b * 3) ^ (c * 7);
}
