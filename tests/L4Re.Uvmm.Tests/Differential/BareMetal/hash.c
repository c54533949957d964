/* FNV-1a and MurmurHash3 (x86_32) over a generated buffer: multiplies, rotates, byte loads. */
static unsigned char buf[20000];

static unsigned int rotl(unsigned int x, int r) { return (x << r) | (x >> (32 - r)); }

unsigned int main(void)
{
    for (int i = 0; i < 20000; i++)
        buf[i] = (unsigned char)(i ^ (i >> 5) ^ 0xa5);
    unsigned int fnv = 2166136261u;
    for (int i = 0; i < 20000; i++)
        fnv = (fnv ^ buf[i]) * 16777619u;
    unsigned int h = 0x9747b28cu;
    for (int i = 0; i + 4 <= 20000; i += 4) {
        unsigned int k = buf[i] | buf[i + 1] << 8 | buf[i + 2] << 16 | (unsigned int)buf[i + 3] << 24;
        k *= 0xcc9e2d51u; k = rotl(k, 15); k *= 0x1b873593u;
        h ^= k; h = rotl(h, 13); h = h * 5 + 0xe6546b64u;
    }
    h ^= 20000; h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16;
    return h ^ fnv;
}
