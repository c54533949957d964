/* Builtins that map to MIPS32r2 instructions: CLZ, byte swaps (WSBH + ROTR), rotates, sign extension. */
unsigned int main(void)
{
    unsigned int h = 0, x = 0x9e3779b9u;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 7;
        x ^= x >> 9;
        h += (unsigned int)__builtin_clz(x | 1);
        h ^= __builtin_bswap32(x);
        h += (unsigned int)(unsigned short)__builtin_bswap16((unsigned short)x);
        h = (h >> 5) | (h << 27);
        h += (unsigned int)(signed char)x + (unsigned int)(short)(x >> 8);
        h += (unsigned int)__builtin_popcount(x);
        h ^= (x >> 3) & 0x1ff;
    }
    return h;
}
